"""Screenshots for the README, taken from the real app on a freshly generated demo archive. Run by hand:

    Xvfb :99 -screen 0 1440x900x24 &  DISPLAY=:99 python bench/ui_screenshots.py [--out docs]

Writes start_screen.png, main_window.png and overview.png (1280x800). Settings and the demo go to a temp folder,
never to the user's profile. Look at the images afterwards: Chinese must render, nothing cut off or overlapping.
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
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from ui.app import create_application

    app = create_application([])
    from ui.common.settings import Settings
    from ui.window.main_window import MainWindow

    window = MainWindow(Settings())
    window.resize(1280, 800)
    window.show()
    window.open_demo()
    wait_for(app, lambda: window.session is not None)
    wait_for(app, lambda: window.monitor_label.text() == "监控中")
    window.close_archive()
    settle(app)
    window.grab().save(str(out / "start_screen.png"))
    window.open_archive(window.settings.recent()[0])
    wait_for(app, lambda: window.monitor_label.text() == "监控中")
    window.workspace.criteria.select("2.4")  # seven files, two of them with problems
    settle(app)
    window.grab().save(str(out / "main_window.png"))
    window.workspace.show_overview()
    settle(app)
    window.grab().save(str(out / "overview.png"))
    window.close()
    print(f"已保存截图到 {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
