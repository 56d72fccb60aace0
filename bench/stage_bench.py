"""Stage benchmark: freeze 50,000 files without copies, diff two stages of 50,000 files, and the copy store's size
for three stages of one tree with 5% changed between stages. Run by hand; figures go into README.

    python bench/stage_bench.py [--root /tmp/rr-stage-bench] [--files 50000] [--folders 2000] [--runs 3]
                                [--copy-files 5000] [--mixes modified,mixed] [--skip-timings] [--skip-copies] [--keep]

Timings are in process (the functions the `stage` command calls), each run --runs times and the best kept; the
machine's load (`uptime`) is printed before and after. The 50,000-file tree for the timings holds small files:
freeze and diff read the index, not the files. The copy-store tree is made by bench/corpus.py (real PDF, DOCX, XLSX,
JPG, TXT; about 83 KB a file), --copy-files of them. Two kinds of 5% change are measured: "modified" (every changed
file rewritten: the store's worst case) and "mixed" (2% modified, 1% added, 1% removed, 1% moved or renamed).
Everything is made under --root and deleted at the end unless --keep.

Figures of 2026-12-06 (2 shared cores; wall best of three, CPU of each run, load average from `uptime`):

    50,000 files         before (load 0.6-1.0)    after (load 3.1-4.0)    after (load 5.3-5.5)    after (load 7.7)
    freeze, no copies    2.49 s, CPU 2.46-2.68    1.01 s, CPU 0.90-0.96   1.53 s, CPU 0.96-1.16   1.93 s, CPU 0.95
    diff of two stages   0.52 s, CPU 0.52-0.66    0.77 s, CPU 0.46-0.52   0.72 s, CPU 0.42-0.54   1.12 s, CPU 0.44
    a stage against now  2.46 s                   2.18 s                  1.48 s                  2.59 s

"Before" still described all 50,000 files for the dossier (题名, 文号, …) at every freeze and packed the rows with
the json module; "after" keeps the metadata rows as SQLite packs them (stage_metadata), lists the files in one pass,
packs with orjson without the cyclic collector, and a diff no longer reads the self-evaluation data. At load 7.7 the
wall time is about twice the CPU time (other processes hold the cores): the CPU figures are the ones that compare.
Copy store, 5,000 corpus files (402.5 MB), three stages (load 8.7-9.0): 5% rewritten each time 1.106x the tree
(on disk too), mixed 1.059x (1.060x on disk).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpus import TOPICS, make_corpus  # noqa: E402
from bench.scan_bench import write_catalogue  # noqa: E402
from bench.timing import best_of  # noqa: E402

MB = 1 << 20


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"


def small_tree(root: Path, files: int, folders: int) -> Path:
    """The corpus's folder layout ("1.2 工作方案/2023年第5批材料/…") with small text files, each unique."""
    tops = max(1, folders // 20)
    dirs = []
    for index in range(folders):
        top = index % tops
        top_name = f"{1 + top // 10}.{1 + top % 10} {TOPICS[top % len(TOPICS)]}"
        folder = root / top_name / f"{2022 + index % 3}年第{index}批材料"
        folder.mkdir(parents=True, exist_ok=True)
        dirs.append(folder)
    for serial in range(files):
        name = f"{TOPICS[serial % len(TOPICS)]}材料{serial:06d}.txt"
        (dirs[serial % len(dirs)] / name).write_bytes(f"佐证材料 {serial}\n".encode() * (1 + serial % 7))
    return root


def new_archive(tree: Path, path: Path):
    from archive.catalogue import store_catalogue
    from archive.db import create_archive
    from archive.index.scan import scan
    from archive.links import automap
    from criteria.importers import load_catalogue

    archive = create_archive(path, "基准测试县")
    store_catalogue(archive, load_catalogue(str(write_catalogue(tree, path.with_suffix(".json")))))
    automap(archive, str(tree))
    started = time.perf_counter()
    result = scan(archive)
    print(f"  first scan of {result.files} files: {time.perf_counter() - started:.1f} s")
    return archive


def listing(root: Path) -> list[Path]:
    return sorted(Path(folder) / name for folder, _, names in os.walk(root) for name in names)


def change(root: Path, fraction: float, mix: str, rng: random.Random, serial: int) -> dict:
    """Change `fraction` of the files: all rewritten ("modified"), or 2/5 rewritten, 1/5 each added, removed and
    moved ("mixed"). Rewritten and added files get new random bytes of the same size as a picked file."""
    files = listing(root)
    picked = rng.sample(files, int(len(files) * fraction))
    counts = {"modified": 0, "added": 0, "removed": 0, "moved": 0}
    for number, path in enumerate(picked):
        kind = "modified" if mix == "modified" else ("modified", "modified", "added", "removed", "moved")[number % 5]
        counts[kind] += 1
        if kind == "modified":
            data = path.read_bytes()
            path.write_bytes(data[:-16] + os.urandom(16) if len(data) > 16 else os.urandom(len(data) + 1))
        elif kind == "added":
            (path.parent / f"新增材料{serial + number:06d}{path.suffix}").write_bytes(os.urandom(path.stat().st_size))
        elif kind == "removed":
            path.unlink()
        else:
            other = rng.choice(files).parent
            path.rename(other / f"改名{serial + number:06d}-{path.name}")
    return counts


def tree_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in listing(root))


def disk_bytes(root: Path) -> int:
    done = subprocess.run(["du", "-sb", "--apparent-size", str(root)], capture_output=True, text=True)
    blocks = subprocess.run(["du", "-sk", str(root)], capture_output=True, text=True)
    return int(blocks.stdout.split()[0]) * 1024 if blocks.returncode == 0 else int(done.stdout.split()[0])


def timings(root: Path, files: int, folders: int, runs: int) -> None:
    from archive.index.scan import scan
    from stages.diff import diff_stages
    from stages.freeze import freeze

    print(f"\n== freeze and diff, {files} files in {folders} folders ==")
    tree = small_tree(root / "tree", files, folders)
    archive = new_archive(tree, root / "timings.rrdb")
    counter = iter(range(1000))
    timing = best_of(runs, lambda: freeze(archive, f"冻结{next(counter)}"))
    print(f"  freeze without copies ({timing.result.stage.files} files): {timing.summary()}  target <= 2 s")
    counts = change(tree, 0.05, "mixed", random.Random(2), 900_000)
    print(f"  changed 5%: {counts}; re-scan: {scan(archive).seconds:.2f} s")
    freeze(archive, "之后")
    timing = best_of(runs, lambda: diff_stages(archive, "冻结0", "之后"))
    totals = timing.result.totals()
    print(f"  diff of two stages: {timing.summary()}  target <= 1 s")
    print(f"    found: {', '.join(f'{k} {totals[k]}' for k in ('added', 'changed', 'removed', 'moved'))} "
          f"under {totals['criteria']} criteria")
    timing = best_of(runs, lambda: diff_stages(archive, "之后"))
    print(f"  diff of a stage against now (a snapshot taken too): {timing.summary()}")
    count, packed = archive.conn.execute("SELECT COUNT(*), SUM(LENGTH(data)) FROM stage_files").fetchone()
    print(f"  {count} stages' file lists in the archive: {packed / MB:.1f} MB ({packed / count / MB:.1f} MB each)")
    archive.close()


def copy_store(root: Path, files: int, mix: str) -> None:
    from archive.index.scan import scan
    from stages.copystore import store_root
    from stages.freeze import freeze

    print(f"\n== copy store, {files} corpus files, three stages, 5% {mix} between stages ==")
    tree = make_corpus(root / f"corpus-{mix}", files, max(20, files // 25))
    first_tree = tree_bytes(tree)
    archive = new_archive(tree, root / f"copies-{mix}.rrdb")
    rng = random.Random(3)
    for number, name in enumerate(("自查自评", "省级初评", "国家验收")):
        if number:
            counts = change(tree, 0.05, mix, rng, number * 100_000)
            scan(archive)
            print(f"  changed: {counts}")
        started = time.perf_counter()
        result = freeze(archive, name, keep_copies=True)
        took = time.perf_counter() - started
        print(f"  freeze {name} with copies: {result.copied_files} new copies, {result.copied_bytes / MB:.1f} MB, "
              f"{took:.1f} s ({result.copied_bytes / MB / max(took, 1e-9):.0f} MB/s)")
    store = store_root(archive)
    stored = tree_bytes(store)
    print(f"  tree at the first stage: {first_tree / MB:.1f} MB; at the last: {tree_bytes(tree) / MB:.1f} MB")
    print(f"  store: {stored / MB:.1f} MB = {stored / first_tree:.3f}x the tree (apparent size); on disk "
          f"{disk_bytes(store) / MB:.1f} MB = {disk_bytes(store) / disk_bytes(tree):.3f}x  target <= 1.1x")
    archive.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default="/tmp/rr-stage-bench")
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--folders", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--copy-files", type=int, default=5_000)
    parser.add_argument("--skip-timings", action="store_true")
    parser.add_argument("--skip-copies", action="store_true")
    parser.add_argument("--mixes", default="modified,mixed", help="kinds of 5%% change for the copy store")
    parser.add_argument("--keep", action="store_true", help="keep the trees and archives under --root")
    args = parser.parse_args()
    root = Path(args.root)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    print(f"load before: {uptime()}")
    try:
        if not args.skip_timings:
            timings(root, args.files, args.folders, args.runs)
        if not args.skip_copies:
            for mix in args.mixes.split(","):
                copy_store(root, args.copy_files, mix)
    finally:
        print(f"\nload after: {uptime()}")
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
