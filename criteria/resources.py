"""Where the package's data files are, both from source and inside a PyInstaller build."""

from __future__ import annotations

from pathlib import Path

from common.app_paths import resource_path


def data_dir() -> Path:
    """criteria/data, found through the one resource helper (sys._MEIPASS when frozen, else the repo).

    The spec file collects the folder as ("criteria/data", "criteria/data").
    """
    return resource_path("criteria", "data")
