"""Scan benchmark: first scan, unchanged re-scan and 1%-changed re-scan of one corpus, beside the bare hashing loop,
`sha256sum` and `git status` on the same tree, plus peak memory. Run by hand; figures go into README.

    python bench/scan_bench.py [--root /tmp/rr-bench] [--files 50000] [--folders 2000] [--runs 3]

Scans run as `python main.py scan --json` subprocesses, so peak memory (ru_maxrss of the child) and whole-process
time are the app's own; the in-process time is the "seconds" the command reports. Every timing is run --runs times
and the best is reported (first scans each on a new archive), as for the bare loop beside them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpus import make_corpus  # noqa: E402


def all_files(root: Path) -> list[str]:
    out = []
    for folder, _, names in os.walk(root):
        out.extend(os.path.join(folder, n) for n in names)
    return out


def bare_hash_loop(paths: list[str]) -> float:
    """The hashing limit: the same files read and hashed by hashlib on two threads, nothing else."""

    def one(path: str) -> str:
        digest = hashlib.sha256()
        with open(path, "rb", buffering=0) as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest()

    started = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(one, paths, chunksize=64))
    return time.perf_counter() - started


def timed(cmd: list[str] | str, cwd: Path | None = None, shell: bool = False) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, shell=shell, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def run_scan(archive: Path) -> tuple[dict, float, float]:
    """(scan json, whole-process seconds, peak RSS MB of that process)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(REPO / "bench" / "peak.py"), "scan", str(archive), "--json"],
                          check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    peak = float(done.stderr.rsplit("peak-mb:", 1)[1])
    return json.loads(done.stdout), wall, peak


def write_catalogue(corpus: Path, target: Path) -> Path:
    """A catalogue whose codes match the corpus's top folders ("1.2 工作方案"), so automap links them all."""
    criteria, parents = [], set()
    for folder in sorted(p.name for p in corpus.iterdir()):
        code, title = folder.split(" ", 1)
        parent = code.split(".")[0]
        if parent not in parents:
            parents.add(parent)
            criteria.append({"code": parent, "title": f"类别{parent}", "level": 1, "parent": None})
        criteria.append({"code": code, "title": title, "level": 2, "parent": parent, "points": 1.0})
    target.write_text(json.dumps({"title": "基准测试目录", "criteria": criteria}, ensure_ascii=False), "utf-8")
    return target


def first_scan(archive: Path, catalogue: Path, corpus: Path) -> tuple[dict, float, float]:
    """A new archive with every corpus folder linked, and its first scan."""
    subprocess.run([sys.executable, str(REPO / "main.py"), "new", str(archive), "--criteria", str(catalogue)],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, str(REPO / "main.py"), "automap", str(archive), str(corpus)], check=True,
                   stdout=subprocess.DEVNULL)
    return run_scan(archive)


def change_one_percent(root: Path, paths: list[str], seed: int = 7) -> None:
    rng = random.Random(seed)
    chosen = rng.sample(paths, len(paths) // 100)
    quarter = len(chosen) // 4
    for path in chosen[:quarter * 2]:  # modified
        with open(path, "ab") as handle:
            handle.write(b"\n%changed\n")
    for path in chosen[quarter * 2:quarter * 3]:  # removed
        os.unlink(path)
    for index, path in enumerate(chosen[quarter * 3:]):  # renamed (moves)
        os.rename(path, os.path.join(os.path.dirname(path), f"改名{index}_{os.path.basename(path)}"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default="/tmp/rr-bench")
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--folders", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each timing; the best is reported")
    args = parser.parse_args()
    base = Path(args.root)
    corpus = base / "corpus"
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True)
    started = time.perf_counter()
    make_corpus(corpus, args.files, args.folders)
    paths = all_files(corpus)
    size = sum(os.path.getsize(p) for p in paths)
    print(f"corpus: {len(paths)} files, {size / 1e9:.2f} GB, made in {time.perf_counter() - started:.1f} s")
    bare_hash_loop(paths)  # warm the page cache so every contender reads from memory
    bare_runs = [bare_hash_loop(paths) for _ in range(args.runs)]
    bare = min(bare_runs)
    print(f"bare hashlib loop (2 threads): {bare:.2f} s = {size / bare / 1e9:.2f} GB/s "
          f"(runs: {', '.join(f'{t:.2f}' for t in bare_runs)})")
    sha1 = timed(f"find '{corpus}' -type f -print0 | xargs -0 sha256sum > /dev/null", shell=True)
    sha2 = timed(f"find '{corpus}' -type f -print0 | xargs -0 -P2 -n500 sha256sum > /dev/null", shell=True)
    print(f"sha256sum: {sha1:.2f} s (one process), {sha2:.2f} s (xargs -P2)")

    catalogue = write_catalogue(corpus, base / "criteria.json")
    firsts = [first_scan(base / f"bench{run}.rrdb", catalogue, corpus) for run in range(args.runs)]
    first, wall, peak = min(firsts, key=lambda r: r[0]["index_seconds"])
    archive = base / f"bench{firsts.index((first, wall, peak))}.rrdb"
    runs = ", ".join(f"{r[0]['index_seconds']:.2f}" for r in firsts)
    print(f"first scan: {first['seconds']:.2f} s in process ({wall:.2f} s whole process), "
          f"{first['added']} added, peak {peak:.0f} MB; index complete after {first['index_seconds']:.2f} s "
          f"(runs: {runs}); hashing limit / index time = {bare / first['index_seconds']:.0%}")

    # gc.auto=0: a commit of 50,000 files otherwise starts "git gc" in the background, on both cores, for minutes
    subprocess.run("git init -q && git config gc.auto 0 && git add -A && "
                   "git -c user.email=b@b -c user.name=b commit -qm corpus",
                   shell=True, cwd=corpus, check=True, stdout=subprocess.DEVNULL)
    git = min(timed(["git", "status", "--porcelain"], cwd=corpus) for _ in range(args.runs))
    again, wall, peak = min((run_scan(archive) for _ in range(args.runs)), key=lambda r: r[0]["seconds"])
    print(f"re-scan, nothing changed: {again['seconds']:.3f} s in process ({wall:.2f} s whole process), "
          f"git status {git:.3f} s, ratio {again['seconds'] / git:.2f}x, peak {peak:.0f} MB")

    change_one_percent(corpus, paths)
    changed, wall, peak = run_scan(archive)
    print(f"re-scan, 1% changed: {changed['seconds']:.3f} s in process ({wall:.2f} s whole process): "
          f"{changed['added']} added, {changed['modified']} modified, {changed['removed']} removed, "
          f"{changed['moved']} moved; peak {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
