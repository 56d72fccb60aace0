"""Worker processes for CPU-bound parsing (page counts: pypdf is pure Python, so threads would share one core).

A pool's workers wait on their task queue, and on Linux a forked worker even holds that queue's writing end itself:
if the app is killed (Task Manager, a crash, a power button), nothing ever tells them to stop, and they stay behind
for good. Each worker therefore watches the process that started it and leaves as soon as it is gone.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from concurrent.futures import ProcessPoolExecutor


def worker_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=exit_with_parent)


def exit_with_parent() -> None:
    """Pool initializer: end this worker when its parent process ends, whatever the cause."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return
    threading.Thread(target=_wait_and_exit, args=(parent.sentinel,), name="parent-watch", daemon=True).start()


def _wait_and_exit(sentinel) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)
