"""Evidence metadata (题名, 文号, 责任者, 成文日期 … and a photo's caption): read from the files at scan time, typed by
the clerk, kept in the archive (never in the evidence folder), tied to the file's row id so it follows renames and
moves.

- fields: the field list, labels, and what a typed value may be.
- schema: the tables (one migration).
- text: 文号, dates, 密级 and headings found in names and first lines (pure functions).
- extract, pdfmeta, pdftext, office, exif: what one file says about itself (PDF info/XMP and first page's text,
  Word properties and first and last lines, Excel properties and title row, EXIF); never raises.
- readpass: the scan's pass over new or changed files (PDF/Word/Excel files are read by the page-count pass,
  archive.index.inspection, from the same bytes; this pass writes what it found).
- store: effective values (typed > read from the file > empty) and typed edits.
- period: the creation period and the files dated outside it.
- workbook, sheetimport: the Excel round trip.
- present: the values as the dossier and the catalogues print them.

For a reader of the archive (the dossier): `store.metadata_for_files(archive, file_ids) -> {file_id: FileMeta}` with
effective values (typed > read from the file > empty), and the helpers of `present`.
"""
