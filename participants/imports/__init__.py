"""Imports that cannot corrupt text: an uploaded delegation file checked before anything is written.

An import may change counts only (what a data steward owns). What the file is comes from its
content (`kinds`: an XLSX renamed .csv is read as XLSX; .xls, .ods, UTF-16 are named as formats).
The file is read within limits (`reading`: bytes, rows, cell length, NUL bytes, formula cells,
strictly decoded text); its header row is read in either language and explained when wrong
(`headers`: the export's words, a wrong separator, a misread encoding, "??"); its text columns
are never written but compared with the site (`text`: a Shift_JIS save that turned 关 into "?",
a Shift_JIS file read as GB18030, an edited cell); the file waits between preview and confirm only
when its preview passed, and the last upload is kept for checking it again (`files`). Every
refusal names the spreadsheet row (the header is row 1) and the column, in the staff language.
"""
