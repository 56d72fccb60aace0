"""All-or-nothing file writing for unpacking: remember every folder made, temp file written and rename done, so a
failure at any point can put the disk back exactly as it was.

New content goes to a hidden temp file (".rr-unpack-….part") in its final folder first: the scan and the monitor skip
hidden names, so a half-written file is never indexed, and the final rename is atomic on the same volume.
Every call goes through long_path: on Windows an unpacked path may pass the classic 260-character limit.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from common.winpaths import long_path

TEMP_PREFIX = ".rr-unpack-"


class Journal:
    def __init__(self):
        self.dirs: list[Path] = []  # folders this journal created, outermost first
        self.temps: list[Path] = []
        self.renames: list[tuple[Path, Path]] = []  # (from, to), in order

    def make_dirs(self, folder: Path) -> None:
        missing = []
        current = folder
        while not os.path.exists(_long(current)):
            missing.append(current)
            current = current.parent
        for path in reversed(missing):
            os.mkdir(_long(path))
            self.dirs.append(path)

    def temp_in(self, folder: Path) -> Path:
        handle, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=_long(folder))
        os.close(handle)
        path = folder / os.path.basename(name)
        self.temps.append(path)
        return path

    def drop_temp(self, temp: Path) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(_long(temp))
        self.temps.remove(temp)

    def rename(self, source: Path, target: Path) -> None:
        """Move into place, never over an existing file (someone may have put one there meanwhile)."""
        if os.path.lexists(_long(target)):
            raise FileExistsError(0, "目标位置已有文件", str(target))
        os.replace(_long(source), _long(target))
        self.renames.append((source, target))
        if source in self.temps:
            self.temps.remove(source)

    def rollback(self) -> None:
        """Undo everything, newest first; best effort, never raising (it runs while another error propagates)."""
        for source, target in reversed(self.renames):
            with contextlib.suppress(OSError):
                if source.name.startswith(TEMP_PREFIX):
                    os.unlink(_long(target))  # new content placed: take it away
                else:
                    os.replace(_long(target), _long(source))  # an older version moved aside: put it back
        for temp in self.temps:
            with contextlib.suppress(OSError):
                os.unlink(_long(temp))
        for folder in reversed(self.dirs):
            with contextlib.suppress(OSError):
                os.rmdir(_long(folder))  # only if empty: never remove what someone else put there
        self.renames.clear()
        self.temps.clear()
        self.dirs.clear()

    def prune_empty_dirs(self) -> None:
        """After a partly failed unpack: remove folders made for files that did not come in."""
        for folder in reversed(self.dirs):
            with contextlib.suppress(OSError):
                os.rmdir(_long(folder))


def _long(path: Path) -> str:
    return long_path(str(path))
