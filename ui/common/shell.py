"""Hand a file or folder to the operating system: open it with its application, or show it in Explorer.

The rule for each platform lives in common/winpaths.py (open_with_system, show_in_folder, tested there without a
desktop); here its refusal is shown in a message box instead of being raised. A finished export says where its
file is and offers to open it or its folder (completion_box, offer_to_open), the same for every kind of export.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from common import winpaths
from common.errors import ReviewReadyError
from ui.common.widgets import ask_choice


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


def completion_box(parent: QWidget | None, text: str, title: str = "导出完成") -> str:
    """`title` with 打开文件 / 打开所在文件夹 / 关闭; returns "file", "folder" or ""."""
    role = QMessageBox.ButtonRole
    return ask_choice(parent, QMessageBox.Icon.Information, title, text,
                      [("file", "打开文件(&O)", role.AcceptRole), ("folder", "打开所在文件夹(&F)", role.ActionRole),
                       ("", "关闭", role.RejectRole)], default="file")


def offer_to_open(parent: QWidget | None, title: str, text: str, path: str) -> None:
    """The completion box for the file at `path`, then what the clerk chose."""
    choice = completion_box(parent, text, title)
    if choice == "file":
        open_file(parent, path)
    elif choice == "folder":
        show_in_folder(parent, path)
