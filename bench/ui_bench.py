"""Desktop-app benchmark on a 50,000-file archive. Run by hand; figures go into the README.

    python bench/ui_bench.py [--root /tmp/rr-bench-ui] [--files 50000] [--folders 2000]

1. UI responsiveness during a first scan of the whole corpus started from the window (the scan runs on the worker):
   the longest gap between ticks of a 10 ms timer on the UI thread, and the scan's duration.
2. Launch: a fresh `python` process that starts the app on the scanned archive, from process start until the main
   window with the archive is shown (the monitor is started too, as in the real app).
3. Selecting the criterion with 5,000 files (a top category of the corpus catalogue) until its table is filled
   and painted; median and worst of several selections.
Uses Qt's offscreen platform unless a DISPLAY is set.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("REVIEWREADY_CONFIG_DIR", tempfile.mkdtemp(prefix="rr-bench-config-"))

from bench.corpus import make_corpus  # noqa: E402
from bench.scan_bench import write_catalogue  # noqa: E402
from bench.timing import gap_summary, ui_gaps  # noqa: E402

LAUNCH_CHILD = """
import time
started = time.perf_counter()
import sys
sys.path.insert(0, {repo!r})
from ui.app import create_application
app = create_application([])
from ui.window.main_window import MainWindow
from ui.common.settings import Settings
window = MainWindow(Settings())
window.show()
window.open_archive({archive!r})
app.processEvents()
print(f"{{time.perf_counter() - started:.3f}} {{window.session.model.rowCount()}}", flush=True)
window.close()
"""


def prepare(root: Path, files: int, folders: int) -> tuple[Path, Path]:
    corpus = root / "corpus"
    if not corpus.is_dir():
        print(f"making a corpus of {files} files in {folders} folders under {corpus} …", flush=True)
        make_corpus(corpus, files, folders)
    archive = root / "ui-bench.rrdb"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{archive}{suffix}").unlink(missing_ok=True)
    catalogue = write_catalogue(corpus, root / "criteria.json")
    for command in (["new", str(archive), "--criteria", str(catalogue)], ["automap", str(archive), str(corpus)]):
        subprocess.run([sys.executable, str(REPO / "main.py"), *command], check=True, stdout=subprocess.DEVNULL)
    return corpus, archive


def settle(app, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.005)


class StallSampler:
    """Samples the UI thread's stack from a side thread while the UI timer is late (no tick for STALL_S), so a long
    gap names the code that held the UI thread, not just its length."""

    STALL_S = 0.05

    def __init__(self, last: list[float]):
        import collections
        import threading

        self.last, self.main = last, threading.main_thread().ident
        self.samples: collections.Counter = collections.Counter()
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import traceback

        while not self.stop_flag.wait(0.005):
            if time.perf_counter() - self.last[0] < self.STALL_S:
                continue
            frame = sys._current_frames().get(self.main)
            if frame is not None:
                stack = traceback.extract_stack(frame)
                ours = [f for f in stack if str(REPO) in f.filename and "/bench/" not in f.filename]
                key = " <- ".join(f"{Path(f.filename).relative_to(REPO)}:{f.lineno} {f.name}"
                                  for f in reversed((ours or stack)[-4:]))
                self.samples[key] += 1

    def report(self) -> None:
        for key, count in self.samples.most_common(6):
            print(f"  UI thread busy ({count * 5} ms sampled): {key}")


def scan_responsiveness(app, window) -> None:
    last = [time.perf_counter()]
    sampler = StallSampler(last)
    settle(app, 0.5)  # the window's first layout and fitting to the screen are not the scan's
    sampler.thread.start()
    cpu = time.process_time()
    # what follows the scan on the UI thread (the refresh, the page counts' job) counts too: 3 s after it
    seconds, gaps = ui_gaps(app, window.session.scan_all,
                            lambda: window.statusBar().currentMessage().startswith("扫描完成"), after=3.0, last=last)
    cpu = time.process_time() - cpu
    sampler.stop_flag.set()
    files = window.session.archive.conn.execute("SELECT COUNT(*) FROM files").fetchone()[0]
    print(f"first scan from the window: {files} files in {seconds:.1f} s (process CPU {cpu:.1f} s with the 3 s "
          f"after, load {os.getloadavg()[0]:.1f}); {gap_summary(gaps)}; gaps over 50 ms: {sum(g > 0.05 for g in gaps)}")
    sampler.report()


def launch_time(archive: Path) -> None:
    results = []
    for _ in range(3):
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", LAUNCH_CHILD.format(repo=str(REPO), archive=str(archive))],
                             check=True, capture_output=True, text=True).stdout.split()
        results.append((time.perf_counter() - started, float(out[0])))
    best = min(results)
    print(f"launch to window with the archive shown: {best[0]:.2f} s from spawning the process "
          f"({best[1]:.2f} s from interpreter start); runs: " + ", ".join(f"{r[0]:.2f}" for r in results))


def selection_time(app, window) -> None:
    panel, detail = window.workspace.criteria, window.workspace.detail
    model = window.session.model
    big = max((node for node in model.nodes.values() if node.children), key=lambda n: n.status.files)
    small = next(node for node in model.nodes.values() if not node.children)
    timings = []
    for _ in range(7):
        panel.select(small.code)
        app.processEvents()
        started = time.perf_counter()
        panel.select(big.code)
        detail.table.viewport().repaint()
        timings.append(time.perf_counter() - started)
    rows = detail.proxy.rowCount()
    print(f"select {big.code} ({rows} files in its table): median {statistics.median(timings) * 1000:.0f} ms, "
          f"worst {max(timings) * 1000:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default="/tmp/rr-bench-ui")
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--folders", type=int, default=2_000)
    parser.add_argument("--scan-only", action="store_true", help="only the first scan's UI-thread gaps")
    args = parser.parse_args()
    root = Path(args.root)
    root.mkdir(parents=True, exist_ok=True)
    _, archive = prepare(root, args.files, args.folders)

    from ui.app import create_application

    app = create_application([])
    from ui.common.settings import Settings
    from ui.window.main_window import MainWindow

    window = MainWindow(Settings(), monitor=False)  # the scan below is the only writer
    window.resize(1280, 800)
    window.show()
    window.open_archive(str(archive))
    scan_responsiveness(app, window)
    if args.scan_only:
        window.close()
        return 0
    settle(app, 0.5)
    started = time.perf_counter()
    window.session.refresh()
    elapsed = (time.perf_counter() - started) * 1000
    print(f"refreshing every criterion's status in place (50,000 files): {elapsed:.0f} ms")
    selection_time(app, window)
    window.close()
    launch_time(archive)
    return 0


if __name__ == "__main__":
    sys.exit(main())
