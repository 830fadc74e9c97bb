"""Imports checked before anything is written.

The uploaded file is read within limits (`reading`: bytes, rows, cell length, NUL bytes, formula
cells, strictly decoded text). Every refusal names the spreadsheet row (the header is row 1) and
the column.
"""
