"""Write an output file all-or-nothing: into a temp file beside the target, renamed into place only on success.

A cancelled or failed export leaves neither a partial target nor the temp file. The temp file sits beside the
target (same folder, same volume) so os.replace is a rename, never a copy. A process killed outright (SIGKILL, power
loss) cannot clean up: its temp file stays until the next export to the same target, which removes it. Each temp
file is held open (and locked on POSIX) while its export runs, so only temp files of dead exports are removed.
A missing target folder is made (parents too); a file in its way or a read-only place is refused, naming the path.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from common.errors import UserError

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be deleted by another process, which is lock enough
    fcntl = None


def _process_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


UMASK = _process_umask() if os.name != "nt" else 0  # read once, at import: os.umask can only be read by setting it
NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}


def check_target(out: str | Path, suffix: str) -> Path:
    """The absolute target path. A missing folder is fine (atomic_output makes it, as `git clone` does); a file
    standing where a folder must go is refused, naming it."""
    target = Path(out).expanduser().absolute()
    if target.suffix.lower() != suffix:
        raise UserError(f"输出文件应以 {suffix} 结尾：{out}")
    if target.is_dir():
        raise UserError(f"输出路径是一个文件夹：{target}")
    check_folder(target.parent)
    return target


def check_folder(folder: Path) -> None:
    """Refuse an output folder that cannot be made because a file stands on its way (checks only, makes nothing:
    the caller may still refuse the place, e.g. inside an evidence folder)."""
    existing = str(folder)
    while not os.path.lexists(existing):
        parent = os.path.dirname(existing)
        if parent == existing:
            return
        existing = parent
    if os.path.isdir(existing):
        return
    if existing == str(folder):
        raise UserError(f"无法创建输出文件夹：{folder} 是一个文件，不是文件夹，请另选位置")
    raise UserError(f"无法创建输出文件夹 {folder}：{existing} 是一个文件，不是文件夹，请另选位置")


def make_folder(folder: Path) -> None:
    """Make the output folder and its parents, or refuse in Chinese, naming the path."""
    check_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:  # a file appeared since the check
        raise UserError(f"无法创建输出文件夹 {folder}：路径中有同名文件，请另选位置") from exc
    except OSError as exc:
        if exc.errno in READ_ONLY:
            raise UserError(f"无法创建输出文件夹 {folder}：该位置只读或没有写入权限，请另选位置") from exc
        raise


def _temp_prefix(target: Path) -> str:
    return f".{target.stem[:40]}."


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temp path beside `target`; on normal exit it replaces `target`, on any exception it is deleted."""
    make_folder(target.parent)
    remove_stale_temps(target)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=".part", dir=target.parent)
    except OSError as exc:
        if exc.errno in READ_ONLY:
            raise UserError(f"无法在文件夹 {target.parent} 中保存：该位置只读或没有写入权限，请另选位置") from exc
        raise
    if fcntl is not None:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    temp = Path(temp_name)
    held = True
    try:
        yield temp
        os.close(handle)  # before the rename: Windows cannot rename a file that is open
        held = False
        _give_mode(temp, target)
        os.replace(temp, target)
    except BaseException as exc:
        if held:
            os.close(handle)
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError) and exc.errno in NO_SPACE:
            raise UserError(f"磁盘空间不足，未能写完 {target}，已删除未写完的文件。请清理磁盘空间（保存位置或系统临时"
                            "文件夹所在的磁盘）或另选保存位置后重试") from exc
        raise


def _give_mode(temp: Path, target: Path) -> None:
    """The mode any new file gets (the replaced file's, if there was one), not mkstemp's owner-only 0600: a dossier
    written into a shared folder on Linux must be readable by those it is handed to. Windows has no such modes."""
    if os.name == "nt":
        return
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        mode = 0o666 & ~UMASK
    os.chmod(temp, mode)


def remove_stale_temps(target: Path) -> list[Path]:
    """Delete the temp files that killed exports to `target` left behind; a running export's temp is kept."""
    removed = []
    for temp in target.parent.glob(f"{glob.escape(_temp_prefix(target))}*.part"):
        with contextlib.suppress(OSError):
            if _unlink_if_unused(temp):
                removed.append(temp)
    return removed


def _unlink_if_unused(temp: Path) -> bool:
    if fcntl is None:
        temp.unlink()  # refused (PermissionError) while the export that writes it holds it open
        return True
    handle = os.open(temp, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # a running export holds it
        temp.unlink()
        return True
    finally:
        os.close(handle)
