"""Per-user settings: recent archives, window state, export folder, CJK font, monitor timing.

Stored with QSettings in an INI file in the per-user config folder of app_paths (roaming %APPDATA% on Windows, easy
for support staff to find or delete). Tests point REVIEWREADY_CONFIG_DIR / REVIEWREADY_DATA_DIR at temp folders.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QSettings

from common import app_paths

APP_NAME = app_paths.APP_NAME
MAX_RECENT = 10
DEFAULT_QUIET_PERIOD = 2.0  # seconds of calm before a burst of file events is reconciled
DEFAULT_POLL_INTERVAL = 0.0  # 0 = native file events; > 0 = poll every N seconds (network shares)


def config_dir() -> Path:
    return app_paths.user_config_dir()


def data_dir() -> Path:
    return app_paths.user_data_dir()


def archive_key(group: str, path: str) -> str:
    """The key of a setting kept per archive: a path is no INI key (slashes, colons), its digest is."""
    return f"{group}/" + hashlib.sha1(os.path.normcase(path).encode("utf-8")).hexdigest()[:16]


def _title_key(path: str) -> str:
    return archive_key("recent_titles", path)


class Settings:
    """Typed accessors over one QSettings INI file. Values are written through at once (QSettings syncs)."""

    def __init__(self, path: Path | None = None):
        path = path or config_dir() / "settings.ini"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.qsettings = QSettings(str(path), QSettings.Format.IniFormat)

    def _get(self, key: str, default, kind):
        value = self.qsettings.value(key, default)
        try:
            return kind(value) if value is not None else default
        except (TypeError, ValueError):
            return default

    # recent archives, most recent first; files that vanished are dropped when read
    def recent(self) -> list[str]:
        value = self.qsettings.value("recent", [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [p for p in items if p and os.path.isfile(p)]

    def add_recent(self, path: str | Path, title: str = "") -> None:
        path = str(Path(path).absolute())
        items = [path] + [p for p in self.recent() if os.path.normcase(p) != os.path.normcase(path)]
        self.qsettings.setValue("recent", items[:MAX_RECENT])
        if title:
            self.qsettings.setValue(_title_key(path), title)

    def recent_title(self, path: str) -> str:
        """The archive's title as it was when last opened (the list shows titles, not only file names)."""
        return self._get(_title_key(path), "", str)

    def remove_recent(self, path: str) -> None:
        self.qsettings.setValue("recent", [p for p in self.recent() if p != path])

    # the archive to open at the next start: the one open when the app last quit (or crashed); none after the clerk
    # closed it herself (关闭档案), which takes her to the start screen, where she will want to be again
    def left_open(self) -> str:
        path = self._get("session/left_open", "", str)
        return path if path in self.recent() else ""  # moved, deleted or refused since: the start screen

    def set_left_open(self, path: str) -> None:
        self.qsettings.setValue("session/left_open", str(Path(path).absolute()) if path else "")

    # the criterion selected when the archive was last closed, selected again when it is opened
    def last_code(self, archive_path: str) -> str:
        return self._get(archive_key("last_code", str(Path(archive_path).absolute())), "", str)

    def set_last_code(self, archive_path: str, code: str | None) -> None:
        self.qsettings.setValue(archive_key("last_code", str(Path(archive_path).absolute())), code or "")

    def window_geometry(self) -> QByteArray | None:
        value = self.qsettings.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def window_state(self) -> QByteArray | None:
        value = self.qsettings.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self.qsettings.setValue("window/geometry", geometry)
        self.qsettings.setValue("window/state", state)

    def splitter_state(self, name: str) -> QByteArray | None:
        value = self.qsettings.value(f"window/{name}")
        return value if isinstance(value, QByteArray) else None

    def save_splitter(self, name: str, state: QByteArray | None) -> None:
        """None forgets it (the window then fits the splitter itself)."""
        if state is None:
            self.qsettings.remove(f"window/{name}")
        else:
            self.qsettings.setValue(f"window/{name}", state)

    @property
    def export_dir(self) -> str:
        folder = self._get("export/folder", "", str)
        if folder and os.path.isdir(folder):
            return folder
        documents = platformdirs.user_documents_dir()
        return documents if os.path.isdir(documents) else str(Path.home())

    @export_dir.setter
    def export_dir(self, folder: str) -> None:
        self.qsettings.setValue("export/folder", folder)

    @property
    def cjk_font(self) -> str:
        """A TrueType CJK font file for PDF export; empty = let the exporter find one."""
        return self._get("export/cjk_font", "", str)

    @cjk_font.setter
    def cjk_font(self, path: str) -> None:
        self.qsettings.setValue("export/cjk_font", path)

    @property
    def poll_interval(self) -> float:
        return self._get("monitor/poll_interval", DEFAULT_POLL_INTERVAL, float)

    @poll_interval.setter
    def poll_interval(self, seconds: float) -> None:
        self.qsettings.setValue("monitor/poll_interval", float(seconds))

    @property
    def quiet_period(self) -> float:
        return self._get("monitor/quiet_period", DEFAULT_QUIET_PERIOD, float)

    @quiet_period.setter
    def quiet_period(self, seconds: float) -> None:
        self.qsettings.setValue("monitor/quiet_period", float(seconds))

    @property
    def confirmer(self) -> str:
        """The name put on confirmations; empty = the login name."""
        return self._get("confirm/by", "", str)

    @confirmer.setter
    def confirmer(self, name: str) -> None:
        self.qsettings.setValue("confirm/by", name)

    @property
    def verifier(self) -> str:
        """The name put on rectification verifications (整改验证人); empty = not asked yet."""
        return self._get("rectify/verified_by", "", str)

    @verifier.setter
    def verifier(self, name: str) -> None:
        self.qsettings.setValue("rectify/verified_by", name)

    def sync(self) -> None:
        self.qsettings.sync()
