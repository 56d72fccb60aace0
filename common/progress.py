"""Progress and cancel plumbing shared by every long core operation (scan, import, export).

A job takes `progress(fraction, message)` and `cancel() -> bool`, both optional. The UI passes callables that hop
to its thread; the CLI passes nothing or a printer. The core checks `cancel` between units of work (cooperative).
"""

from __future__ import annotations

from collections.abc import Callable

from common.errors import Cancelled

Progress = Callable[[float, str], None]
CancelCheck = Callable[[], bool]


def no_progress(fraction: float, message: str) -> None:
    """Default progress sink."""


def never_cancel() -> bool:
    return False


class ProgressReporter:
    """Bundles the two callbacks with a throttle, so hot loops can report cheaply."""

    def __init__(self, progress: Progress | None = None, cancel: CancelCheck | None = None, every: int = 256):
        self.progress = progress or no_progress
        self.cancel = cancel or never_cancel
        self.every = every
        self._ticks = 0

    def check(self) -> None:
        if self.cancel():
            raise Cancelled()

    def report(self, fraction: float, message: str) -> None:
        self.check()
        self.progress(max(0.0, min(1.0, fraction)), message)

    def tick(self, fraction_fn: Callable[[], float], message_fn: Callable[[], str]) -> None:
        """Report every `every` calls; the lambdas keep formatting off the hot path."""
        self._ticks += 1
        if self._ticks % self.every == 0:
            self.report(fraction_fn(), message_fn())
