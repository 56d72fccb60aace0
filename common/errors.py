"""Errors the user can act on. Their messages are Chinese and say what and where; the CLI prints them on one line."""


class UserError(Exception):
    """Bad input or a refused operation: shown to the user as is, never as a traceback."""


class ArchiveError(UserError):
    """The archive file cannot be opened or used."""


class Cancelled(Exception):
    """A long job stopped because its cancel check said so."""
