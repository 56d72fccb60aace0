"""The one root of the errors a user can act on, and Cancelled.

Every floor raises a subclass of ReviewReadyError whose message is Chinese and says what and where (file, sheet,
row, path). Every handler (cli/run.py, ui/common/worker.py, the window's own dialogs) catches ReviewReadyError once
and shows the message as it is, on one line, never as a traceback:

    ReviewReadyError
    ├── UserError              bad input or a refused operation (here)
    │   ├── ArchiveError       the archive file cannot be opened or used (here)
    │   └── UnsafePackage      a department package that is not safe to unpack (departments/safezip.py)
    └── CatalogueError         a source cannot be read as a criteria table (criteria/model.py; also a ValueError)
"""


class ReviewReadyError(Exception):
    """An error the user can act on: its Chinese message is shown as is, never a traceback."""


class UserError(ReviewReadyError):
    """Bad input or a refused operation."""


class ArchiveError(UserError):
    """The archive file cannot be opened or used."""


class Cancelled(Exception):
    """A long job stopped because its cancel check said so. Not an error: handlers report it as 已取消."""
