"""The app's file and folder choosers: QFileDialog's static functions (same arguments, same results), with one
difference outside Windows that keeps the open archive safe.

Qt's own dialog tells a file's type and icon by its content when its name does not say (QMimeDatabase reads the
file): shown the folder of the open archive, it opened and closed the archive and its -wal and -shm files. On Linux
(and macOS) closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's included: the
app's connections went on without their locks, and the next command-line run on the archive (`python main.py
status`, a script) took itself for the only user, checkpointed and deleted the write-ahead log under the app, whose
later writes went to a deleted file, and whose next reading connection failed with "disk I/O error". Here a type
and an icon come from the name alone, so the dialog opens no file; Qt's own dialog is used even where the desktop
offers another (GTK's reads the files too). On Windows, whose locks belong to handles and survive another handle's
closing, the static functions show Explorer's dialog as before.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QFileInfo, QMimeDatabase
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QWidget

_BY_NAME = QMimeDatabase.MatchMode.MatchExtension
# Windows: Explorer's dialog, as the static functions show it (its reading a file leaves SQLite's locks alone)
WINDOWS = sys.platform == "win32"


class NameOnlyIconProvider(QFileIconProvider):
    """Types and icons by file name: never opens a file to look at its content."""

    def __init__(self):
        super().__init__()
        self.mime = QMimeDatabase()

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return super().type(info)  # "文件夹"/"Folder" as Qt names it, from the file system's answer alone
        if info.suffix().lower() == "rrdb":
            return "迎检通档案"
        return self.mime.mimeTypeForFile(info.fileName(), _BY_NAME).comment()

    def icon(self, what):  # both overloads: icon(IconType) and icon(QFileInfo)
        if not isinstance(what, QFileInfo):
            return super().icon(what)
        if what.isDir():
            return super().icon(QFileIconProvider.IconType.Folder)
        themed = QIcon.fromTheme(self.mime.mimeTypeForFile(what.fileName(), _BY_NAME).iconName())
        return themed if not themed.isNull() else super().icon(QFileIconProvider.IconType.File)


_PROVIDER: NameOnlyIconProvider | None = None


def make_dialog(parent: QWidget | None, caption: str, directory: str, filters: str = "") -> QFileDialog:
    """A dialog as the static functions make it (a file path as `directory` selects that file in its folder)."""
    global _PROVIDER
    if _PROVIDER is None:
        _PROVIDER = NameOnlyIconProvider()  # one for the app's life: the dialogs' models keep a pointer to it
    dialog = QFileDialog(parent, caption, directory, filters)
    dialog.setIconProvider(_PROVIDER)  # before it is shown: the model asks for types and icons once shown
    # a desktop's "native" dialog (GTK's, loaded into this process by Qt's platform theme) tells types by content
    # too, and the provider does not reach it: Qt's own dialog, with the provider, instead
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    return dialog


def _choose(dialog: QFileDialog, mode: QFileDialog.FileMode) -> tuple[list[str], str]:
    """(chosen paths, the file-type filter they were chosen under); no paths when cancelled."""
    dialog.setFileMode(mode)
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted:
            return [], ""
        return dialog.selectedFiles(), dialog.selectedNameFilter()
    finally:
        dialog.deleteLater()


def _first(chosen: tuple[list[str], str]) -> tuple[str, str]:
    paths, name_filter = chosen
    return (paths[0], name_filter) if paths else ("", "")


def get_open_file_name(parent: QWidget | None, caption: str = "", directory: str = "",
                       filters: str = "") -> tuple[str, str]:
    if WINDOWS:
        return QFileDialog.getOpenFileName(parent, caption, directory, filters)
    return _first(_choose(make_dialog(parent, caption, directory, filters), QFileDialog.FileMode.ExistingFile))


def get_open_file_names(parent: QWidget | None, caption: str = "", directory: str = "",
                        filters: str = "") -> tuple[list[str], str]:
    if WINDOWS:
        return QFileDialog.getOpenFileNames(parent, caption, directory, filters)
    return _choose(make_dialog(parent, caption, directory, filters), QFileDialog.FileMode.ExistingFiles)


def get_save_file_name(parent: QWidget | None, caption: str = "", directory: str = "",
                       filters: str = "") -> tuple[str, str]:
    if WINDOWS:
        return QFileDialog.getSaveFileName(parent, caption, directory, filters)
    dialog = make_dialog(parent, caption, directory, filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    return _first(_choose(dialog, QFileDialog.FileMode.AnyFile))


def get_existing_directory(parent: QWidget | None, caption: str = "", directory: str = "") -> str:
    if WINDOWS:
        return QFileDialog.getExistingDirectory(parent, caption, directory)
    dialog = make_dialog(parent, caption, directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly)
    return _first(_choose(dialog, QFileDialog.FileMode.Directory))[0]
