"""One window per archive. A second window on the same archive (the app started twice, or the archive on a shared
drive opened on two computers) would run a second watcher and a second writer over the same index: the two would
log the same changes and write over each other's confirmations. A lock file beside the archive ("档案.rrdb.lock",
Qt's QLockFile: the process id, the computer's name) says who has it open.

A lock left by a process that is gone on this computer is stale and taken over at once (the app crashed, the
computer was switched off). One held on another computer cannot be checked from here: the clerk is told which
computer and may open the archive anyway, as after that computer went off without closing it. Where no lock file can
be made (a read-only folder), the archive opens without one: the lock only warns, it never keeps a clerk out.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QLockFile, QSysInfo
from PySide6.QtWidgets import QMessageBox, QWidget


def lock_path(archive_path) -> str:
    return os.fspath(archive_path) + ".lock"


class ArchiveLock:
    def __init__(self, archive_path: str):
        self.path = lock_path(os.path.abspath(archive_path))
        self.lock = QLockFile(self.path)
        self.lock.setStaleLockTime(0)  # never stale by age: an archive stays open for days

    def try_lock(self) -> bool:
        """True when this window holds the archive now, or no lock can be made here at all."""
        if self.lock.tryLock(0):
            return True
        return self.lock.error() != QLockFile.LockError.LockFailedError  # a read-only folder: no lock to hold

    def holder(self) -> tuple[int, str]:
        """(process id, computer name) of whoever holds the lock; (0, "") when that cannot be read."""
        info = self.lock.getLockInfo()  # PySide6: (pid, hostname, appname)
        if not isinstance(info, tuple) or len(info) < 2:
            return 0, ""
        return int(info[0] or 0), str(info[1] or "")

    def take_over(self) -> bool:
        """The clerk says the other holder is gone: remove its lock and take it."""
        try:
            os.remove(self.path)
        except FileNotFoundError:
            pass
        except OSError:
            return False
        return self.try_lock()

    def release(self) -> None:
        self.lock.unlock()


def held_elsewhere(archive_path) -> bool:
    """Whether another window (or computer) has the archive open now."""
    lock = ArchiveLock(os.fspath(archive_path))
    if lock.try_lock():
        lock.release()
        return False
    return True


def same_file(one, other) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return os.path.abspath(one) == os.path.abspath(other)


def take_lock(archive_path: str, parent: QWidget | None) -> ArchiveLock | None:
    """The archive's lock for this window, or None when it is open elsewhere and the clerk chose not to open it
    (told who has it open)."""
    lock = ArchiveLock(archive_path)
    if lock.try_lock():
        return lock
    pid, host = lock.holder()
    name = os.path.basename(archive_path)
    if not host or host == QSysInfo.machineHostName():
        QMessageBox.warning(parent, "档案已打开",
                            f"档案“{name}”已在本机的另一个迎检通窗口中打开" + (f"（进程 {pid}）" if pid else "")
                            + "。请切换到那个窗口继续工作：同一个档案在两个窗口中同时打开，两边会同时扫描和写入。")
        return None
    answer = QMessageBox.question(
        parent, "档案已在另一台电脑上打开",
        f"档案“{name}”已在电脑“{host}”上由迎检通打开。同一个档案在两台电脑上同时打开，两边会同时扫描和写入，"
        "确认和变更记录可能互相覆盖。\n\n如果那台电脑上的迎检通已经关闭（或那台电脑已关机），可以仍然打开。仍要打开吗？",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    if answer == QMessageBox.StandardButton.Yes and lock.take_over():
        return lock
    return None
