"""Issue 13's target, checked by hand: the whole suite passes N times in a row, each on a fresh clone, each under a
temp folder of a different length, another test order (pytest-randomly seed), time zone and locale.

    python bench/fresh_runs.py [--runs 5] [--work /tmp/fr] [--quick] [--commit HEAD]

Each run clones the repository (committed state only: nothing of the working tree leaks in), makes a TMPDIR of the
run's length, and runs the README's test command with `-p randomly --randomly-seed=SEED`. It stops at the first
failure ("in a row") and prints the table for RELIABILITY.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# (TMPDIR length, seed, TZ, LC_ALL): short and long temp paths, east and west of UTC, a C and a Chinese locale
PLANS = [
    (7, 9001, "Asia/Shanghai", "C.UTF-8"),
    (40, 4242, "UTC", "C"),
    (125, 77, "America/Los_Angeles", "C.UTF-8"),
    (12, 2026, "Pacific/Kiritimati", "C"),
    (80, 31337, "Europe/Berlin", "C.UTF-8"),
]


def temp_folder(run: int, length: int) -> Path:
    """A fresh folder whose absolute path is exactly `length` characters (at least 7: /tmp/fN)."""
    base = f"/tmp/f{run}"
    path = Path(base + "x" * max(0, length - len(base)))
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def run_once(work: Path, run: int, plan: tuple, commit: str, quick: bool) -> tuple[bool, float, str]:
    length, seed, zone, locale = plan
    clone = work / f"clone{run}"
    shutil.rmtree(clone, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", commit], check=True)
    tmp = temp_folder(run, length)
    env = {**os.environ, "TMPDIR": str(tmp), "TZ": zone, "LC_ALL": locale, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-p", "randomly", f"--randomly-seed={seed}", "-p", "no:cacheprovider"]
    if quick:
        command += ["-m", "not slow"]
    started = time.monotonic()
    done = subprocess.run(command, cwd=clone, env=env, capture_output=True, text=True)
    last = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
    if done.returncode == 0:  # a failed run's clone and temp folder are kept to look at
        shutil.rmtree(clone, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        (work / f"run{run}.log").write_text(done.stdout + done.stderr)
    return done.returncode == 0, time.monotonic() - started, last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/fr"))
    parser.add_argument("--quick", action="store_true", help='only the quick part (-m "not slow")')
    parser.add_argument("--commit", default="HEAD")
    parser.add_argument("--only", default="", help="run only these plans, e.g. 4,5 (two chains side by side)")
    args = parser.parse_args()
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", args.commit], check=True, capture_output=True,
                            text=True).stdout.strip()
    args.work.mkdir(parents=True, exist_ok=True)
    # as from a terminal, even when this script runs as a shell's background job (`... &`), which ignores Ctrl+C
    # and passes that on to every child: the suite's Ctrl+C test would then see a watcher deaf to it
    signal.signal(signal.SIGINT, signal.default_int_handler)
    print(f"commit {commit[:10]}, load {os.getloadavg()[0]:.1f}")
    print("| run | TMPDIR length | seed | TZ | LC_ALL | result | time |")
    print("|---|---|---|---|---|---|---|")
    chosen = {int(n) for n in args.only.split(",")} if args.only else set(range(1, args.runs + 1))
    for run, plan in enumerate(PLANS, 1):
        if run not in chosen:
            continue
        ok, seconds, last = run_once(args.work, run, plan, commit, args.quick)
        length, seed, zone, locale = plan
        print(f"| {run} | {length} | {seed} | {zone} | {locale} | {last} | {seconds / 60:.1f} min |", flush=True)
        if not ok:
            print(f"run {run} failed: the clone is kept in {args.work / f'clone{run}'}, output in run{run}.log")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
