"""Evidence metadata (题名, 文号, 责任者, 成文日期 … and a photo's caption): read from the files at scan time, typed by
the clerk, kept in the archive (never in the evidence folder), tied to the file's row id so it follows renames and
moves.

- fields: the field list, labels, and what a typed value may be.
- schema: the tables (one migration).
- text: 文号, dates, 密级 and headings found in names and first lines (pure functions).
- extract: what one file says about itself (PDF info/XMP, Office properties, first lines, EXIF); never raises.
- readpass: the scan's pass over new or changed files.
- store: effective values (typed > read from the file > empty) and typed edits.
- period: the creation period and the files dated outside it.
- workbook: the Excel round trip.
"""
