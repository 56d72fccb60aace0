"""Hand a file or folder to the operating system: open it with its application, or show it in Explorer."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget


def open_file(parent: QWidget | None, path: str) -> bool:
    if not os.path.exists(path):
        QMessageBox.warning(parent, "无法打开", f"文件不存在或无法访问：{path}")
        return False
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(path)):
        QMessageBox.warning(parent, "无法打开", f"系统中没有能打开此文件的程序：{path}")
        return False
    return True


def open_folder(parent: QWidget | None, folder: str) -> bool:
    return open_file(parent, folder)


def show_in_folder(parent: QWidget | None, path: str) -> bool:
    """Explorer with the file selected on Windows, Finder on macOS; elsewhere the containing folder."""
    if not os.path.exists(path):
        QMessageBox.warning(parent, "无法显示", f"文件不存在或无法访问：{path}")
        return False
    if sys.platform == "win32":
        command = ["explorer", "/select,", os.path.normpath(path)]
    elif sys.platform == "darwin":
        command = ["open", "-R", path]
    else:
        return open_folder(parent, os.path.dirname(path))
    try:
        # explicit streams: a windowed (PyInstaller) build has none, and Popen would fail without them
        subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError as exc:
        QMessageBox.warning(parent, "无法显示", f"无法打开文件夹 {os.path.dirname(path)}：{exc.strerror or exc}")
        return False
    return True
