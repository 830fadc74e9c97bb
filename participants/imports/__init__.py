"""Imports that cannot corrupt text: an uploaded delegation file checked before anything is written.

An import may change counts only (what a data steward owns). The file is read within limits
(`reading`: bytes, rows, cell length, NUL bytes, formula cells, strictly decoded text); its text
columns are never written but compared with the site (`text`: a Shift_JIS save that turned 关
into "?", a Shift_JIS file read as GB18030, an edited cell); and the file waits between preview
and confirm only when its preview passed (`files`). Every refusal names the spreadsheet row (the
header is row 1) and the column.
"""
