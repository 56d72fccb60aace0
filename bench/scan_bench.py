"""Scan benchmark: on one or two corpora, the index time, the whole first scan with page counts, the unchanged re-scan
and the re-scan after 1% changed, beside the bare hashing loop, `sha256sum` and `git status` in the same run, plus
peak memory. Run by hand; figures go into README.

    python bench/scan_bench.py [--tree small|large|both] [--root /tmp/rr-bench] [--files 50000] [--folders 2000]
                               [--runs 3] [--keep]

Trees (bench/corpus.py): "large" is 30% PDF, 25% DOCX, 25% photos, 10% XLSX, 10% TXT (4.2 GB at 50,000 files);
"small" is 10,000 each of PDF, DOCX, XLSX, JPG and PNG (2.4 GB), where each file's cost beyond its bytes counts most.
Scans run as `python main.py scan --json` subprocesses, so peak memory (ru_maxrss of the child) and whole-process
time are the app's own; the in-process times are the "index_seconds" and "seconds" the command reports. Every timing
is run --runs times and the best is reported (first scans each on a new archive), as for the bare loop beside them.
The corpus is deleted at the end unless --keep is given.
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


CHILD_PEAKS: list[float] = []  # the largest worker or walking child of each scan


def run_scan(archive: Path) -> tuple[dict, float, float]:
    """(scan json, whole-process seconds, peak RSS MB of that process)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(REPO / "bench" / "peak.py"), "scan", str(archive), "--json"],
                          check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    CHILD_PEAKS.append(float(done.stderr.split("children-peak-mb:", 1)[1].split()[0]))
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


def change_one_percent(paths: list[str], seed: int = 7) -> None:
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


def runs_text(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def percents(values: list[float]) -> str:
    return ", ".join(f"{v:.0%}" for v in values)


def bench_tree(layout: str, base: Path, args) -> dict:
    """Every figure of one tree, printed as it is taken."""
    corpus = base / "corpus"
    started = time.perf_counter()
    make_corpus(corpus, args.files, args.folders, layout=layout)
    paths = all_files(corpus)
    size = sum(os.path.getsize(p) for p in paths)
    print(f"\n== {layout} tree: {len(paths)} files, {size / 1e9:.2f} GB, made in "
          f"{time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.2f}")
    out: dict = {"tree": layout, "files": len(paths), "gb": size / 1e9, "load_start": os.getloadavg()[0]}
    bare_hash_loop(paths)  # warm the page cache so every contender reads from memory
    out["sha1"] = timed(f"find '{corpus}' -type f -print0 | xargs -0 sha256sum > /dev/null", shell=True)
    out["sha2"] = timed(f"find '{corpus}' -type f -print0 | xargs -0 -P2 -n500 sha256sum > /dev/null", shell=True)
    print(f"sha256sum: {out['sha1']:.2f} s (one process), {out['sha2']:.2f} s (xargs -P2)")

    # the bare loop and a first scan in turn, so that each pair shares the machine's state of the moment (on a shared
    # machine, the best of each taken at different moments can flatter either)
    catalogue = write_catalogue(corpus, base / "criteria.json")
    bare_runs, firsts = [], []
    for run in range(args.runs):
        bare_runs.append(bare_hash_loop(paths))
        firsts.append(first_scan(base / f"bench{run}.rrdb", catalogue, corpus))
    out["bare"], out["bare_runs"] = min(bare_runs), bare_runs
    print(f"bare hashlib loop (2 threads): {out['bare']:.2f} s = {size / out['bare'] / 1e9:.2f} GB/s "
          f"(runs: {runs_text(bare_runs)})")
    out["index_pairs"] = [b / r[0]["index_seconds"] for b, r in zip(bare_runs, firsts, strict=True)]
    out["whole_pairs"] = [b / r[0]["seconds"] for b, r in zip(bare_runs, firsts, strict=True)]
    best = min(range(len(firsts)), key=lambda i: firsts[i][0]["seconds"])
    first, wall, peak = firsts[best]
    archive = base / f"bench{best}.rrdb"
    out.update(index=min(r[0]["index_seconds"] for r in firsts), index_runs=[r[0]["index_seconds"] for r in firsts],
               whole=first["seconds"], whole_runs=[r[0]["seconds"] for r in firsts], whole_wall=wall,
               first_peak=max(r[2] for r in firsts), added=first["added"], problems=len(first["problems"]))
    print(f"first scan: index complete after {out['index']:.2f} s (runs: {runs_text(out['index_runs'])}), "
          f"{out['bare'] / out['index']:.0%} of the hashing limit (each run against the bare loop just before it: "
          f"{percents(out['index_pairs'])}); whole scan with page counts {out['whole']:.2f} s "
          f"(runs: {runs_text(out['whole_runs'])}), {out['bare'] / out['whole']:.0%} (pairs: "
          f"{percents(out['whole_pairs'])}); {wall:.2f} s whole process; "
          f"{first['added']} added, {len(first['problems'])} problems, peak {out['first_peak']:.0f} MB")
    uncounted = _uncounted(archive)
    print(f"PDFs without a page count after the first scan: {uncounted}")
    out["uncounted"] = uncounted

    # gc.auto=0: a commit of 50,000 files otherwise starts "git gc" in the background, on both cores, for minutes
    subprocess.run("git init -q && git config gc.auto 0 && git add -A && "
                   "git -c user.email=b@b -c user.name=b commit -qm corpus",
                   shell=True, cwd=corpus, check=True, stdout=subprocess.DEVNULL)
    git_runs, agains = [], []
    for _ in range(args.runs):  # in turn, as above
        git_runs.append(timed(["git", "status", "--porcelain"], cwd=corpus))
        agains.append(run_scan(archive))
    again, wall, peak = min(agains, key=lambda r: r[0]["seconds"])
    out.update(git=min(git_runs), git_runs=git_runs, again=again["seconds"], again_wall=wall, again_peak=peak,
               again_runs=[r[0]["seconds"] for r in agains],
               again_pairs=[r[0]["seconds"] / g for g, r in zip(git_runs, agains, strict=True)])
    print(f"re-scan, nothing changed: {out['again']:.3f} s in process (runs: "
          f"{', '.join(f'{v:.3f}' for v in out['again_runs'])}; {wall:.2f} s whole process), git status "
          f"{out['git']:.3f} s (runs: {', '.join(f'{v:.3f}' for v in git_runs)}), ratio "
          f"{out['again'] / out['git']:.2f}x (pairs: {', '.join(f'{v:.2f}x' for v in out['again_pairs'])}), "
          f"peak {peak:.0f} MB")

    change_one_percent(paths)
    changed, wall, peak = run_scan(archive)
    out.update(changed=changed["seconds"], changed_wall=wall, changed_peak=peak,
               changes=(changed["added"], changed["modified"], changed["removed"], changed["moved"]))
    print(f"re-scan, 1% changed: {changed['seconds']:.3f} s in process ({wall:.2f} s whole process): "
          f"{changed['added']} added, {changed['modified']} modified, {changed['removed']} removed, "
          f"{changed['moved']} moved; peak {peak:.0f} MB")
    out["children_peak"] = max(CHILD_PEAKS)
    CHILD_PEAKS.clear()
    print(f"largest child process of any scan (worker, walking child): {out['children_peak']:.0f} MB")
    out["load_end"] = os.getloadavg()[0]
    print(f"load average at the end: {out['load_end']:.2f}")
    return out


def _uncounted(archive: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(archive)
    try:
        return conn.execute("SELECT COUNT(*) FROM files WHERE type = 'pdf' AND pages IS NULL").fetchone()[0]
    finally:
        conn.close()


def table(results: list[dict]) -> str:
    """The README table: one column per tree."""
    head = "| | " + " | ".join(f"{r['tree']} tree: {r['files']:,} files, {r['gb']:.2f} GB" for r in results) + " |"
    rows = [head, "|---|" + "---|" * len(results)]

    def row(label: str, cell) -> None:
        rows.append(f"| {label} | " + " | ".join(cell(r) for r in results) + " |")

    row("bare hashlib SHA-256 loop, 2 threads (the hashing limit)",
        lambda r: f"{r['bare']:.2f} s ({runs_text(r['bare_runs'])})")
    row("`sha256sum`, one process / `xargs -P2`", lambda r: f"{r['sha1']:.2f} s / {r['sha2']:.2f} s")
    row("first scan: index complete and committed (each run against the bare loop run just before it)",
        lambda r: f"{r['index']:.2f} s ({runs_text(r['index_runs'])}): **{r['bare'] / r['index']:.0%}** of the limit "
                  f"({percents(r['index_pairs'])})")
    row("first scan, whole (page counts and Office checks included)",
        lambda r: f"{r['whole']:.2f} s ({runs_text(r['whole_runs'])}): **{r['bare'] / r['whole']:.0%}** "
                  f"({percents(r['whole_pairs'])}); {r['whole_wall']:.2f} s whole process")
    row("re-scan, nothing changed", lambda r: f"{r['again']:.3f} s in process, {r['again_wall']:.2f} s whole process")
    row("`git status` on the same tree (index built; each re-scan against the one just before it)",
        lambda r: f"{r['git']:.3f} s: the re-scan takes **{r['again'] / r['git']:.2f}×** "
                  f"({', '.join(f'{v:.2f}×' for v in r['again_pairs'])})")
    row("re-scan after 1% changed (added, modified, removed, moved)",
        lambda r: f"{r['changed']:.2f} s in process, {r['changed_wall']:.2f} s whole "
                  f"({', '.join(map(str, r['changes']))})")
    row("peak memory (first scan / re-scan / 1% re-scan; largest child process)",
        lambda r: f"{r['first_peak']:.0f} / {r['again_peak']:.0f} / {r['changed_peak']:.0f} MB; "
                  f"{r['children_peak']:.0f} MB")
    row("load average (start / end)", lambda r: f"{r['load_start']:.2f} / {r['load_end']:.2f}")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tree", choices=["small", "large", "both"], default="both")
    parser.add_argument("--root", default="/tmp/rr-bench")
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--folders", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each timing; the best is reported")
    parser.add_argument("--keep", action="store_true", help="keep the corpora (they are deleted by default)")
    args = parser.parse_args()
    results = []
    for layout in (["large", "small"] if args.tree == "both" else [args.tree]):
        base = Path(args.root) / layout
        if base.exists():
            shutil.rmtree(base)
        base.mkdir(parents=True)
        try:
            results.append(bench_tree(layout, base, args))
        finally:
            if not args.keep:
                shutil.rmtree(base)
    print("\n" + table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
