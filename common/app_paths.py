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
