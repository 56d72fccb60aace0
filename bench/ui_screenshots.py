"""Screenshots for the README, taken from the real app on a freshly generated demo archive. Run by hand:

    Xvfb :99 -screen 0 1440x900x24 &  DISPLAY=:99 python bench/ui_screenshots.py [--out docs] [--size 1366x768]

Writes start_screen.png, main_window.png and overview.png (1280x800); with --size WxH the window takes that size
(a laptop's screen: run Xvfb at least that big) and the files are named main_window_WxH.png and so on. Settings and
the demo go to a temp folder, never to the user's profile. Look at the images afterwards: Chinese must render,
nothing cut off or overlapping.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
TEMP = Path(tempfile.mkdtemp(prefix="rr-shots-"))
os.environ["REVIEWREADY_CONFIG_DIR"] = str(TEMP / "config")
os.environ["REVIEWREADY_DATA_DIR"] = str(TEMP / "data")


def settle(app, seconds: float = 0.5) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.01)


def wait_for(app, condition, timeout: float = 60) -> None:
    end = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > end:
            raise TimeoutError("等待超时")
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(REPO / "docs"))
    parser.add_argument("--size", default="", help="WxH, e.g. 1366x768")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x")) if args.size else (1280, 800)
    suffix = f"_{width}x{height}" if args.size else ""
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from ui.app import create_application

    app = create_application([])
    from ui.common.settings import Settings
    from ui.window.main_window import MainWindow

    window = MainWindow(Settings())
    window.resize(width, height)
    window.show()
    window.open_demo()
    wait_for(app, lambda: window.session is not None)
    wait_for(app, lambda: window.monitor_label.text() == "监控中")
    window.close_archive()
    settle(app)
    window.grab().save(str(out / f"start_screen{suffix}.png"))
    window.open_archive(window.settings.recent()[0])
    wait_for(app, lambda: window.monitor_label.text() == "监控中")
    window.workspace.criteria.select("2.4")  # seven files, two of them with problems
    settle(app)
    window.grab().save(str(out / f"main_window{suffix}.png"))
    window.workspace.show_overview()
    settle(app)
    window.grab().save(str(out / f"overview{suffix}.png"))
    window.close()
    print(f"已保存截图到 {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
