"""Hand a file or folder to the operating system: open it with its application, or show it in Explorer.

The rule for each platform lives in common/winpaths.py (open_with_system, show_in_folder, tested there without a
desktop); here its refusal is shown in a message box instead of being raised.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from common import winpaths
from common.errors import ReviewReadyError


def open_file(parent: QWidget | None, path: str) -> bool:
    return _hand_over(parent, "无法打开", winpaths.open_with_system, path)


def open_folder(parent: QWidget | None, folder: str) -> bool:
    return open_file(parent, folder)


def show_in_folder(parent: QWidget | None, path: str) -> bool:
    """Explorer with the file selected on Windows, Finder on macOS; elsewhere the containing folder."""
    return _hand_over(parent, "无法显示", winpaths.show_in_folder, path)


def _hand_over(parent: QWidget | None, title: str, action: Callable[[str], None], path: str) -> bool:
    try:
        action(path)
    except ReviewReadyError as exc:
        QMessageBox.warning(parent, title, str(exc))
        return False
    return True
