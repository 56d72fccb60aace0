"""Best-of-N timing for the bench scripts: wall clock and CPU time of every run, the best kept, with the load.

On a machine shared with other jobs the wall clock of one run says little: the bench runs a step N times, keeps
the best (what the code costs when it gets the cores) and the median (what a clerk may see), and the CPU time of
this process and of its ended children (worker pools, converters), a steadier measure of the work done.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


def cpu_seconds() -> float:
    """CPU time of this process (all threads, fine-grained) and of its ended children (user + system)."""
    children = os.times()
    return time.process_time() + children.children_user + children.children_system


def load() -> str:
    """The load averages (1, 5, 15 minutes), to print beside every figure."""
    try:
        return ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:  # Windows
        return "n/a"


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    result: object = None  # what the last run returned

    @property
    def best(self) -> float:
        return min(self.wall)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def best_cpu(self) -> float:
        return min(self.cpu)

    def runs(self) -> str:
        return ", ".join(f"{wall:.3f}/{cpu:.3f}" for wall, cpu in zip(self.wall, self.cpu, strict=True))

    def summary(self) -> str:
        return (f"best {self.best:.3f} s wall, {self.best_cpu:.3f} s CPU (wall/CPU of each run: {self.runs()}; "
                f"load {load()})")


def best_of(runs: int, step: Callable[[], object]) -> Timing:
    """Run `step` `runs` times, timing each run's wall clock and CPU time."""
    timing = Timing()
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), cpu_seconds()
        timing.result = step()
        timing.wall.append(time.perf_counter() - started)
        timing.cpu.append(cpu_seconds() - started_cpu)
    return timing


def ui_gaps(app, start: Callable[[], object], finished: Callable[[], bool], after: float = 0.0,
            last: list[float] | None = None) -> tuple[float, list[float]]:
    """How the window keeps up during a background job: a 10 ms Qt timer runs while `start()`'s job works until
    `finished()`, and `after` seconds more (what the job leaves to the UI thread counts too); returns (the job's
    seconds, the gaps between the timer's ticks). A frozen UI shows as long gaps. `last[0]` is kept at the time of
    the latest tick, for a watcher on another thread (bench/ui_bench.py's stall sampler)."""
    from PySide6.QtCore import QTimer

    gaps, last = [], last if last is not None else [0.0]
    last[0] = time.perf_counter()

    def tick() -> None:
        moment = time.perf_counter()
        gaps.append(moment - last[0])
        last[0] = moment

    timer = QTimer(interval=10)
    timer.timeout.connect(tick)
    timer.start()
    started = time.perf_counter()
    start()
    while not finished():
        app.processEvents()
        time.sleep(0.002)
    seconds = time.perf_counter() - started
    settle_until = time.perf_counter() + after
    while time.perf_counter() < settle_until:
        app.processEvents()
        time.sleep(0.005)
    timer.stop()
    return seconds, gaps


def gap_summary(gaps: list[float]) -> str:
    worst = sorted(gaps)[-5:]
    return (f"UI timer (10 ms): median gap {statistics.median(gaps) * 1000:.0f} ms, worst "
            f"{', '.join(f'{g * 1000:.0f}' for g in worst)} ms")
