"""Where the package's data files are, both from source and inside a PyInstaller build."""

from __future__ import annotations

import sys
from pathlib import Path


def data_dir() -> Path:
    """criteria/data: beside this file from source; under the unpacked bundle when frozen by PyInstaller.

    The spec file must collect the folder as ("criteria/data", "criteria/data").
    """
    if getattr(sys, "frozen", False):
        base = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
        return base / "criteria" / "data"
    return Path(__file__).resolve().parent / "data"
