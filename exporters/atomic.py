"""Write an output file all-or-nothing: into a temp file beside the target, renamed into place only on success.

A cancelled or failed export leaves neither a partial target nor the temp file. The temp file sits beside the
target (same folder, same volume) so os.replace is a rename, never a copy.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from archive.errors import UserError


def check_target(out: str | Path, suffix: str) -> Path:
    target = Path(out).expanduser().absolute()
    if target.suffix.lower() != suffix:
        raise UserError(f"输出文件应以 {suffix} 结尾：{out}")
    if not target.parent.is_dir():
        raise UserError(f"输出文件夹不存在：{target.parent}")
    if target.is_dir():
        raise UserError(f"输出路径是一个文件夹：{target}")
    return target


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temp path beside `target`; on normal exit it replaces `target`, on any exception it is deleted."""
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.stem[:40]}.", suffix=".part", dir=target.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        yield temp
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
