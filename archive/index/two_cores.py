"""Run a file-system job on two cores by forking: half of the work in a child process, half here.

Listing a tree is one stat call per file, and from Python each call costs more than the kernel's own work. Threads
do not help (every call drops and re-takes the GIL, and the handover costs more than it saves), so a forked child
takes every other unit of work and sends its result back through a pipe, marshalled.

Only on Linux. Windows hands out size and date with the directory listing, so there is little to share, and it has
no fork; macOS system libraries are not safe across fork. The child touches nothing but the file system and the
pipe, never returns into the caller's frames, and leaves with os._exit, so locks held by the parent's other threads
(Qt, the monitor, the hashing pool) never matter to it. If the child fails in any way, its half is done here.
"""

from __future__ import annotations

import marshal
import os
import signal
import sys
import warnings
from collections.abc import Callable
from contextlib import suppress
from typing import TypeVar

T = TypeVar("T")
Check = Callable[[], None]
AVAILABLE = sys.platform.startswith("linux") and hasattr(os, "fork")


def in_two(units: list, work: Callable[[list, Check | None], T], check: Check | None = None) -> list[T]:
    """[work(units[0::2], check) here, work(units[1::2], None) in a child], or both here when forking is not
    possible. `check` (cooperative cancel) runs only here; a cancel stops the child. `work` must return something
    marshal can carry (dicts, lists, tuples, str, bytes, numbers)."""
    theirs, mine = units[1::2], units[0::2]
    child = _start(theirs, work) if AVAILABLE and theirs else None
    try:
        own = work(mine, check)
        carried = _finish(child) if child else None
    except BaseException:
        if child:
            _abandon(child)
        raise
    return [own, carried if carried is not None else work(theirs, check)]


def _start(units: list, work: Callable[[list, Check | None], T]) -> tuple[int, int] | None:
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        # Python 3.12+ warns about fork in a process with threads; the child here needs none of their locks
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: from here on, only os._exit leaves
        status = 1
        try:
            os.close(read_end)
            data = marshal.dumps(work(units, None))
            with open(write_end, "wb", closefd=True) as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _finish(child: tuple[int, int]):
    """The child's result, or None if it failed (then the caller does that half itself)."""
    pid, read_end = child
    with open(read_end, "rb", closefd=True) as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        return marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None


def _abandon(child: tuple[int, int]) -> None:
    """The caller gave up (cancel, error): stop the child and reap it."""
    pid, read_end = child
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass  # already gone and reaped
    with suppress(OSError):  # closed by an interrupted read
        os.close(read_end)
