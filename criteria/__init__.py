"""Criteria catalogues (评价细则): the data model, code parsing, importers, YAML storage and built-in templates.

No Qt here: the UI, the CLI and the archive all use this package.
"""
