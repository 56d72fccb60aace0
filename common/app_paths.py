"""Where the app finds its own data files and keeps per-user files, from source and inside the PyInstaller bundle.

    resource_path("criteria", "data")   bundled read-only data (templates, icons): sys._MEIPASS when frozen
    user_data_dir()                     per-user data (log): %APPDATA%\\ReviewReady on Windows
    user_config_dir()                   per-user settings: %APPDATA%\\ReviewReady on Windows

Roaming (%APPDATA%) rather than platformdirs' default %LOCALAPPDATA%: county offices often use roaming profiles,
and a clerk who moves to another desk should find the same recent archives and settings there. The environment
variables REVIEWREADY_DATA_DIR / REVIEWREADY_CONFIG_DIR override both (tests, portable installs).

No Qt here: the core, the CLI and the UI all use this module.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "ReviewReady"  # folder and executable name (ASCII: safe in every path and shell)
REPO_ROOT = Path(__file__).resolve().parent.parent  # common/ lies one below the repository root


def is_frozen() -> bool:
    """True inside a PyInstaller build (the bootloader sets sys.frozen and sys._MEIPASS)."""
    return bool(getattr(sys, "frozen", False))


def bundle_root() -> Path:
    """The folder holding the app's data files: the unpacked bundle (`_internal`) when frozen, else the repo."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return REPO_ROOT


def resource_path(*parts: str) -> Path:
    """A bundled data file or folder. The spec collects each one under the same relative path as in the repo."""
    return bundle_root().joinpath(*parts)


def _dirs() -> platformdirs.PlatformDirs:
    return platformdirs.PlatformDirs(APP_NAME, appauthor=False, roaming=True)


def user_data_dir() -> Path:
    override = os.environ.get("REVIEWREADY_DATA_DIR")
    return Path(override) if override else Path(_dirs().user_data_dir)


def user_config_dir() -> Path:
    override = os.environ.get("REVIEWREADY_CONFIG_DIR")
    return Path(override) if override else Path(_dirs().user_config_dir)


OCR_ADDON = "ocr"  # the OCR add-on folder, beside the executable (packaging/ocr_addon.spec builds it)
OCR_ADDON_STAMP = "reviewready-ocr-addon.txt"  # inside it: the Python version it was built for ("3.11")


def ocr_addon_dir() -> Path:
    """Where the OCR add-on is looked for: `ocr` beside ReviewReady.exe (REVIEWREADY_OCR_DIR overrides it)."""
    override = os.environ.get("REVIEWREADY_OCR_DIR")
    return Path(override) if override else Path(sys.executable).resolve().parent / OCR_ADDON


def use_ocr_addon() -> bool:
    """Put the OCR add-on's modules (RapidOCR, onnxruntime, OpenCV, numpy) on the import path, if it is there and
    was built for this Python. It goes last: the app's own modules always win over the add-on's copies of them.
    From source (not frozen) nothing is done unless REVIEWREADY_OCR_DIR names a folder: pip installs OCR there."""
    if not is_frozen() and not os.environ.get("REVIEWREADY_OCR_DIR"):
        return False
    folder = ocr_addon_dir()
    try:
        built_for = (folder / OCR_ADDON_STAMP).read_text(encoding="utf-8").strip()
    except OSError:
        return False
    if built_for != f"{sys.version_info.major}.{sys.version_info.minor}" or str(folder) in sys.path:
        return False
    sys.path.append(str(folder))
    if sys.platform == "win32":
        os.add_dll_directory(str(folder))  # libraries the add-on's extension modules load (onnxruntime.dll ...)
    return True
