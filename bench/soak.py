"""Soak: the real monitor, in process, over a tree that changes every second, for a long time.

    python bench/soak.py [--minutes 30] [--sample 30] [--warmup 60] [--ops 3] [--away-every 120] [--away-for 20]
                         [--files 300] [--root DIR] [--polling] [--seed 1]

Every second the tree gets `--ops` changes (a new file, an edit, a rename within or across folders, a deletion, now
and then a new folder with a file moved into it); every `--away-every` seconds one linked folder is renamed away
for `--away-for` seconds and comes back (a USB drive or a share going away). The number of files stays near
`--files`, so a growing process is the monitor's fault, not the tree's.

Every `--sample` seconds the process's resident memory (VmRSS), open file descriptors (/proc/self/fd) and threads
(/proc/self/status; Python's own count beside it) are recorded. At the end the tree stops changing and:
1. the index must reach the disk exactly by the monitor's own work (paths, sizes, SHA-256), within a deadline;
2. a full scan after the monitor stops must find nothing to change;
3. the change log, replayed from the start, must give the same paths and hashes.
Growth is judged from the first three samples after the warm-up to the last three; tolerances
(`--max-rss-mb`, `--max-fds`, `--max-threads`) are printed with the table. Exit 1 when any check fails.

Linux only (/proc). Cheap on CPU: a few file operations a second and the monitor's reconciles. The process ends by
itself: a watchdog ends it with exit 3 if it overruns the duration by ten minutes.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive.catalogue import store_catalogue  # noqa: E402
from archive.db import create_archive, open_archive  # noqa: E402
from archive.index.scan import scan  # noqa: E402
from archive.index.walk import Listing, list_tree  # noqa: E402
from archive.links import link  # noqa: E402
from archive.monitor.service import Monitor  # noqa: E402
from criteria.model import Catalogue, Criterion  # noqa: E402

FOLDERS = ("1.1 领导小组", "1.2 工作方案", "2.1 农残治理")  # always present, linked to 1.1, 1.2, 2.1
AWAY = "2.2 校园食品"  # linked to 2.2; renamed away and back
SETTLE_DEADLINE = 120.0  # seconds the monitor gets to reach the disk after the last change
OVERRUN = 600.0  # the watchdog's margin beyond the planned duration


@dataclass
class Sample:
    elapsed: float
    rss_mb: float
    fds: int
    threads: int
    py_threads: int
    files: int
    events: int


def read_status() -> dict[str, str]:
    with open("/proc/self/status", encoding="ascii") as handle:
        return dict(line.rstrip("\n").split(":\t", 1) for line in handle if ":\t" in line)


def take_sample(started: float, files: int, events: int) -> Sample:
    status = read_status()
    return Sample(time.monotonic() - started, int(status["VmRSS"].split()[0]) / 1024, len(os.listdir("/proc/self/fd")),
                  int(status["Threads"]), threading.active_count(), files, events)


class Tree:
    """The changing evidence tree: several linked folders, one that goes away and comes back."""

    def __init__(self, root: Path, files: int, seed: int):
        self.root = root
        self.target = files
        self.rng = random.Random(seed)
        self.counter = 0
        self.away = False
        self.operations = {"add": 0, "edit": 0, "rename": 0, "move": 0, "delete": 0, "folder": 0, "away": 0}
        for name in (*FOLDERS, AWAY):
            (root / name).mkdir(parents=True)
        for _ in range(files):
            self.add()
        self.operations["add"] = 0

    @property
    def linked(self) -> list[Path]:
        return [self.root / name for name in (*FOLDERS, AWAY)]

    def folders(self) -> list[Path]:
        tops = [self.root / name for name in FOLDERS] + ([] if self.away else [self.root / AWAY])
        found = []
        for top in tops:
            found += [top] + [p for p in top.rglob("*") if p.is_dir()]
        return found

    def files(self) -> list[Path]:
        tops = [self.root / name for name in FOLDERS] + ([] if self.away else [self.root / AWAY])
        return [p for top in tops for p in top.rglob("*") if p.is_file()]

    def content(self) -> bytes:
        return os.urandom(self.rng.randint(10, 40_000))

    def add(self) -> None:
        self.counter += 1
        folder = self.rng.choice(self.folders())
        (folder / f"材料{self.counter:06d}.txt").write_bytes(self.content())
        self.operations["add"] += 1

    def change(self) -> None:
        """One random change, keeping the number of files near the target."""
        files = self.files()
        roll = self.rng.random()
        if not files or (len(files) < self.target * 0.9 and roll < 0.5):
            return self.add()
        if len(files) > self.target * 1.1 and roll < 0.5:
            return self.delete(files)
        if roll < 0.25:
            self.add()
        elif roll < 0.5:
            self.edit(files)
        elif roll < 0.7:
            self.rename(files)
        elif roll < 0.8:
            self.move(files)
        elif roll < 0.97:
            self.delete(files)
        else:
            self.new_folder(files)
        return None

    def edit(self, files: list[Path]) -> None:
        path = self.rng.choice(files)
        if self.rng.random() < 0.5:
            with open(path, "ab") as handle:
                handle.write(self.content())
        else:
            path.write_bytes(self.content())
        self.operations["edit"] += 1

    def rename(self, files: list[Path]) -> None:
        path = self.rng.choice(files)
        self.counter += 1
        path.rename(path.with_name(f"改名{self.counter:06d}{path.suffix}"))
        self.operations["rename"] += 1

    def move(self, files: list[Path]) -> None:
        path = self.rng.choice(files)
        folder = self.rng.choice(self.folders())
        if folder != path.parent:
            path.rename(folder / path.name)
            self.operations["move"] += 1

    def delete(self, files: list[Path]) -> None:
        self.rng.choice(files).unlink()
        self.operations["delete"] += 1

    def new_folder(self, files: list[Path]) -> None:
        """A new sub-folder with a file moved into it, or an empty sub-folder removed."""
        empty = [f for f in self.folders() if f.parent != self.root and not any(f.iterdir())]
        if empty:
            empty[0].rmdir()
        else:
            self.counter += 1
            folder = self.rng.choice(self.folders()) / f"子目录{self.counter:06d}"
            folder.mkdir()
            source = self.rng.choice(files)
            source.rename(folder / source.name)
        self.operations["folder"] += 1

    def go_away(self) -> None:
        (self.root / AWAY).rename(self.root / f"{AWAY}（已拔出）")
        self.away = True
        self.operations["away"] += 1

    def come_back(self) -> None:
        (self.root / f"{AWAY}（已拔出）").rename(self.root / AWAY)
        self.away = False


def new_archive(path: Path, tree: Tree):
    rows = [Criterion("1", "组织领导", None, 1), Criterion("1.1", "领导小组", "1", 2),
            Criterion("1.2", "工作方案", "1", 2), Criterion("2", "风险防控", None, 1),
            Criterion("2.1", "农残治理", "2", 2), Criterion("2.2", "校园食品", "2", 2)]
    archive = create_archive(path, "浸泡测试")
    store_catalogue(archive, Catalogue("浸泡测试目录", rows, source="soak"))
    for folder in tree.linked:
        link(archive, folder.name.split(" ")[0], [str(folder)])
    scan(archive)
    return archive


def sha256(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def disk_state(tree: Tree) -> dict[str, tuple[int, str]]:
    listing = Listing()
    for folder in tree.linked:
        list_tree(str(folder), listing)
    return {path: (size, sha256(path)) for path, (size, _mtime) in listing.files.items()}


def index_state(archive) -> dict[str, tuple[int, str | None]]:
    return {path: (size, sha) for path, size, sha in archive.conn.execute("SELECT path, size, sha256 FROM files")}


def replayed_log(archive) -> dict[str, str]:
    state: dict[str, str] = {}
    rows = archive.conn.execute("SELECT kind, path, old_path, sha256 FROM events ORDER BY id")
    for kind, path, old_path, sha in rows:
        if kind == "removed":
            state.pop(path, None)
            continue
        if kind == "moved":
            state.pop(old_path, None)
        state[path] = sha
    return state


def differences(index: dict, disk: dict) -> list[str]:
    lines = [f"only in the index: {p}" for p in sorted(index.keys() - disk.keys())]
    lines += [f"only on disk: {p}" for p in sorted(disk.keys() - index.keys())]
    lines += [f"differs: {p} index {index[p]} disk {disk[p]}" for p in sorted(index.keys() & disk.keys())
              if index[p] != disk[p]]
    return lines


def events_count(archive) -> int:
    return archive.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]


def run(args) -> int:
    base = Path(args.root or tempfile.mkdtemp(prefix="reviewready-soak-"))
    if base.exists() and any(base.iterdir()):
        raise SystemExit(f"{base} is not empty")
    duration = args.minutes * 60
    watchdog = threading.Timer(duration + OVERRUN, lambda: (print("soak overran: ended", flush=True),
                                                                          os._exit(3)))
    watchdog.daemon = True
    watchdog.start()
    tree = Tree(base / "证明材料", args.files, args.seed)
    reader = new_archive(base / "soak.rrdb", tree)  # also the test's own read connection
    errors: list[str] = []
    monitor = Monitor(reader.path, quiet_period=args.quiet, force_polling=args.polling,
                      on_state=lambda state: state.error and errors.append(state.error))
    monitor.start()
    if not monitor.wait_until_settled(120):
        raise SystemExit(f"monitor did not start: {monitor.error}")
    print(f"soak: {args.minutes:g} min, {args.ops} changes/s, {args.files} files, folder away every "
          f"{args.away_every:g} s for {args.away_for:g} s, samples every {args.sample:g} s, in {base}", flush=True)
    samples = changing(tree, reader, args, duration)
    ok = report(samples, args)
    ok &= final_checks(tree, reader, monitor, errors)
    print("operations: " + ", ".join(f"{k} {v}" for k, v in tree.operations.items()))
    reader.close()
    watchdog.cancel()
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    print("SOAK PASSED" if ok else "SOAK FAILED", flush=True)
    return 0 if ok else 1


def changing(tree: Tree, reader, args, duration: float) -> list[Sample]:
    started = time.monotonic()
    samples = [take_sample(started, len(tree.files()), events_count(reader))]
    print_sample(samples[-1], header=True)
    next_sample = started + args.sample
    next_away = started + args.away_every
    back_at = None
    tick = started
    while time.monotonic() - started < duration:
        for _ in range(args.ops):
            tree.change()
        now = time.monotonic()
        if back_at is not None and now >= back_at:
            tree.come_back()
            back_at = None
        elif back_at is None and now >= next_away:
            tree.go_away()
            back_at, next_away = now + args.away_for, now + args.away_every
        if now >= next_sample:
            samples.append(take_sample(started, len(tree.files()), events_count(reader)))
            print_sample(samples[-1])
            next_sample += args.sample
        tick += 1.0
        time.sleep(max(0.0, tick - time.monotonic()))
    if tree.away:
        tree.come_back()
    samples.append(take_sample(started, len(tree.files()), events_count(reader)))
    print_sample(samples[-1])
    return samples


def print_sample(sample: Sample, header: bool = False) -> None:
    if header:
        print(f"{'elapsed':>8} {'RSS MB':>8} {'fds':>5} {'threads':>7} {'py thr':>6} {'files':>6} {'events':>7}")
    print(f"{sample.elapsed:>7.0f}s {sample.rss_mb:>8.1f} {sample.fds:>5} {sample.threads:>7} {sample.py_threads:>6} "
          f"{sample.files:>6} {sample.events:>7}", flush=True)


def report(samples: list[Sample], args) -> bool:
    """Start and end are three samples each (RSS: their mean; handles and threads: their maximum), so one
    transient thread or a collection that happened to run just before a sample does not decide the verdict."""
    after_warmup = [s for s in samples if s.elapsed >= args.warmup] or samples
    head, middle, tail = after_warmup[:3], after_warmup[len(after_warmup) // 2], after_warmup[-3:]
    print(f"\n{'':>22} {'start':>8} {'middle':>8} {'end':>8}  growth  tolerance")
    rows = (("RSS MB", lambda s: s.rss_mb, statistics.mean, args.max_rss_mb),
            ("open file descriptors", lambda s: s.fds, max, args.max_fds),
            ("threads", lambda s: s.threads, max, args.max_threads))
    ok = True
    for name, value, combine, tolerance in rows:
        first, last = combine(map(value, head)), combine(map(value, tail))
        growth = last - first
        ok &= growth <= tolerance
        flag = "" if growth <= tolerance else "  EXCEEDED"
        print(f"{name:>22} {first:>8.1f} {value(middle):>8.1f} {last:>8.1f} {growth:>+7.1f}  {tolerance:>+7.1f}{flag}")
    print(f"(start = the {len(head)} samples from {head[0].elapsed:.0f} s, middle = {middle.elapsed:.0f} s, end = the "
          f"last {len(tail)} samples, to {tail[-1].elapsed:.0f} s; RSS mean, handles and threads max; peak RSS "
          f"{max(s.rss_mb for s in samples):.1f} MB; {samples[-1].events} change-log entries)")
    return ok


def final_checks(tree: Tree, reader, monitor: Monitor, errors: list[str]) -> bool:
    disk = disk_state(tree)
    deadline = time.monotonic() + SETTLE_DEADLINE
    started = time.monotonic()
    while True:
        index = index_state(reader)
        diff = differences(index, disk)
        if not diff or time.monotonic() > deadline:
            break
        time.sleep(1.0)
    settled = time.monotonic() - started
    ok = not diff
    print(f"\nindex == disk by the monitor alone: {'yes' if ok else 'NO'} ({len(disk)} files, paths, sizes and "
          f"SHA-256; reached {settled:.1f} s after the last change)")
    for line in diff[:20]:
        print("  " + line)
    stopped = monitor.stop(timeout=60)
    print(f"monitor stopped cleanly: {'yes' if stopped else 'NO'}; monitor errors: {errors or 'none'}")
    ok &= stopped and not errors and monitor.error is None
    with open_archive(reader.path) as archive:
        result = scan(archive)
    changes = result.added + result.modified + result.removed + result.moved
    print(f"full scan afterwards: {changes} changes (added {result.added}, modified {result.modified}, "
          f"removed {result.removed}, moved {result.moved}), {result.files} files")
    ok &= changes == 0
    replayed = replayed_log(reader)
    log_ok = replayed == {path: sha for path, (_size, sha) in disk.items()}
    print(f"change log replayed == disk: {'yes' if log_ok else 'NO'}")
    return ok and log_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0,
                        help="how long the tree keeps changing (warm-up included)")
    parser.add_argument("--sample", type=float, default=30.0, help="seconds between samples")
    parser.add_argument("--warmup", type=float, default=60.0, help="seconds of changes before the baseline sample")
    parser.add_argument("--ops", type=int, default=3, help="changes per second")
    parser.add_argument("--files", type=int, default=300, help="files in the tree (kept near this)")
    parser.add_argument("--away-every", type=float, default=120.0)
    parser.add_argument("--away-for", type=float, default=20.0)
    parser.add_argument("--quiet", type=float, default=1.0, help="the monitor's quiet period")
    parser.add_argument("--polling", action="store_true", help="force the polling observer")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--root", help="an empty or missing folder to work in (default: a new temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the tree and the archive")
    parser.add_argument("--max-rss-mb", type=float, default=20.0, help="tolerated growth of resident memory")
    parser.add_argument("--max-fds", type=int, default=4, help="tolerated growth of open file descriptors")
    parser.add_argument("--max-threads", type=int, default=2, help="tolerated growth of threads")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
