"""Finding the evidence: the text of every indexed file, full-text search, and link suggestions.

A wing above archive/ and exporters/ (it reads the index and calls the Office converter); neither imports it.
Its tables live in the archive file beside the index, created by `schema.ensure` and versioned on their own
(meta key "search_schema"), so the wing adds nothing to the archive's numbered migrations.
"""
