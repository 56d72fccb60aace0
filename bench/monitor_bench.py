"""Monitor benchmark: write-to-log latency (native and polling), idle CPU over 50,000 watched files, and the cost of
one polling cycle beside watchdog's own snapshot. Run by hand; figures go into the README.

    python bench/monitor_bench.py [--root /tmp/rr-monitor-bench] [--files 50000] [--folders 2000]
                                  [--samples 40] [--poll-samples 8] [--idle 60] [--quiet 1.0]
                                  [--only cycle|native|polling]

Targets: native median latency <= quiet + 0.3 s and 95th percentile <= quiet + 1 s; native idle under 1% of a core;
one polling cycle over 50,000 files under 1 s; polling at the default interval under 5% of a core on average.
CPU is the whole benchmark process (every monitor and watchdog thread), from the kernel's accounting.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive.monitor.polling import DEFAULT_POLL_INTERVAL, diff_snapshots, take_snapshot  # noqa: E402
from archive.monitor.service import Monitor  # noqa: E402
from bench.corpus import make_corpus  # noqa: E402
from bench.scan_bench import write_catalogue  # noqa: E402


def cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def prepare(base: Path, files: int, folders: int) -> tuple[Path, Path]:
    """A corpus, an archive with every top folder linked, and its first scan (so the monitor starts warm)."""
    corpus, archive = base / "corpus", base / "bench.rrdb"
    if archive.exists() and (base / f"ready-{files}-{folders}").exists():
        return corpus, archive
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True)
    started = time.perf_counter()
    make_corpus(corpus, files, folders)
    catalogue = write_catalogue(corpus, base / "criteria.json")
    main = [sys.executable, str(REPO / "main.py")]
    for args in (["new", archive, "--criteria", catalogue], ["automap", archive, corpus], ["scan", archive]):
        subprocess.run([*main, *map(str, args)], check=True, stdout=subprocess.DEVNULL)
    (base / f"ready-{files}-{folders}").touch()
    print(f"corpus and first scan: {time.perf_counter() - started:.0f} s")
    return corpus, archive


class Latency:
    """Record when each path's change-log entry reaches on_changes."""

    def __init__(self):
        self.seen: dict[str, float] = {}
        self.cond = threading.Condition()

    def on_changes(self, entries: list[dict]) -> None:
        arrived = time.monotonic()
        with self.cond:
            for entry in entries:
                self.seen.setdefault(entry["path"], arrived)
            self.cond.notify_all()

    def measure(self, folders: list[Path], samples: int, timeout: float, spread: float) -> list[float]:
        """Write one file at a time and wait for its entry; `spread` randomises when a write lands between two
        polling cycles (otherwise each write would follow the previous cycle and wait a whole interval)."""
        rng = random.Random(3)
        found = []
        for n in range(samples):
            time.sleep(rng.uniform(0, spread))
            folder = rng.choice(folders)
            path = folder / f"延迟测试{n:03d}.txt"
            with self.cond:
                self.seen.pop(str(path), None)
            path.write_text(f"第{n}次写入 {time.time()}", encoding="utf-8")
            written = time.monotonic()
            with self.cond:
                if not self.cond.wait_for(lambda p=str(path): p in self.seen, timeout):
                    raise SystemExit(f"no change-log entry for {path} within {timeout} s")
                found.append(self.seen[str(path)] - written)
            time.sleep(0.2)
        return found


def report_latency(name: str, values: list[float], quiet: float) -> None:
    values = sorted(values)
    median = statistics.median(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    print(f"{name} latency over {len(values)} writes: median {median:.2f} s, 95th percentile {p95:.2f} s, "
          f"max {values[-1]:.2f} s (quiet period {quiet:g} s)")


def idle_cpu(seconds: float) -> float:
    before, started = cpu_seconds(), time.monotonic()
    time.sleep(seconds)
    return (cpu_seconds() - before) / (time.monotonic() - started)


def polling_cycle(corpus: Path) -> None:
    """Our snapshot + diff against watchdog's DirectorySnapshot + DirectorySnapshotDiff, same tree, warm cache."""
    from watchdog.utils.dirsnapshot import DirectorySnapshot, DirectorySnapshotDiff

    take_snapshot(str(corpus), True)
    ours = []
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.thread_time()
        old = take_snapshot(str(corpus), True).files
        new = take_snapshot(str(corpus), True).files
        diff_snapshots(old, new, [])
        ours.append(((time.perf_counter() - wall) / 2, (time.thread_time() - cpu) / 2))
    wall, cpu = statistics.median(w for w, _ in ours), statistics.median(c for _, c in ours)
    print(f"one polling cycle over {len(new)} files: {wall:.3f} s wall, {cpu:.3f} s CPU (snapshot + diff); "
          f"at the default {DEFAULT_POLL_INTERVAL:g} s interval about {cpu / (DEFAULT_POLL_INTERVAL + wall):.1%}"
          f" of a core")
    started, cpu = time.perf_counter(), time.thread_time()
    first = DirectorySnapshot(str(corpus))
    second = DirectorySnapshot(str(corpus))
    DirectorySnapshotDiff(first, second)
    print(f"watchdog's DirectorySnapshot + Diff, same tree: {(time.perf_counter() - started) / 2:.3f} s wall, "
          f"{(time.thread_time() - cpu) / 2:.3f} s CPU per cycle")


def run_monitor(archive: Path, folders: list[Path], args, polling: bool) -> None:
    name = "polling" if polling else "native"
    latency = Latency()
    monitor = Monitor(archive, quiet_period=args.quiet, on_changes=latency.on_changes, force_polling=polling)
    started = time.monotonic()
    monitor.start()
    if not monitor.wait_until_settled(600):
        raise SystemExit(f"monitor did not start: {monitor.error}")
    roots = monitor.roots()
    print(f"{name}: {len(roots)} roots ({', '.join(sorted({r.observer for r in roots}))}), "
          f"started and caught up in {time.monotonic() - started:.1f} s")
    try:
        samples = args.poll_samples if polling else args.samples
        timeout = (DEFAULT_POLL_INTERVAL * 3 if polling else 10) + args.quiet
        spread = DEFAULT_POLL_INTERVAL if polling else 0.0
        report_latency(name, latency.measure(folders, samples, timeout, spread), args.quiet)
        time.sleep(3)  # let the last reconcile and page counting finish
        share = idle_cpu(args.idle)
        print(f"{name} idle over {args.idle:g} s with {args.files} watched files: {share:.2%} of one core")
    finally:
        monitor.stop(timeout=30)
        for folder in folders:
            for leftover in folder.glob("延迟测试*.txt"):
                leftover.unlink()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default="/tmp/rr-monitor-bench")
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--folders", type=int, default=2_000)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--poll-samples", type=int, default=8)
    parser.add_argument("--idle", type=float, default=60.0)
    parser.add_argument("--quiet", type=float, default=1.0)
    parser.add_argument("--only", choices=("cycle", "native", "polling"), help="run one part only")
    args = parser.parse_args()
    corpus, archive = prepare(Path(args.root), args.files, args.folders)
    folders = sorted(p for p in corpus.glob("*/*") if p.is_dir())
    if args.only in (None, "cycle"):
        polling_cycle(corpus)
    if args.only in (None, "native"):
        run_monitor(archive, folders, args, polling=False)
    if args.only in (None, "polling"):
        run_monitor(archive, folders, args, polling=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
