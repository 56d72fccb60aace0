"""Screenshots for the README, taken from the real app on a freshly generated demo archive. Run by hand:

    Xvfb :99 -screen 0 1440x900x24 &  DISPLAY=:99 python bench/ui_screenshots.py [--out docs] [--size 1366x768]

Writes start_screen.png, main_window.png and overview.png (1280x800); with --size WxH the window takes that size
(a laptop's screen: run Xvfb at least that big) and the files are named main_window_WxH.png and so on. With
--guide DIR it also writes the pictures of the built-in quick guide (F1) there: the window at that size and the
confirm and export dialogs, as ui/resources/guide/ holds them (take them at --size 1366x768). Settings and the
demo go to a temp folder, never to the user's profile. Look at the images afterwards: Chinese must render,
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
    parser.add_argument("--guide", default="", help="also write the quick guide's pictures to this folder")
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
    window.open_demo(ask=False)
    wait_for(app, lambda: window.session is not None)
    wait_for(app, lambda: window.monitor_label.text() == "监控中")
    window.close_archive()
    settle(app)
    guide = Path(args.guide) if args.guide else None
    if guide is not None:
        guide.mkdir(parents=True, exist_ok=True)
    shots = [(out / f"start_screen{suffix}.png", "start.png")]
    window.grab().save(str(shots[-1][0]))
    window.open_archive(window.settings.recent()[0])
    wait_for(app, lambda: window.monitor_label.text() == "监控中")
    window.workspace.criteria.select("2.4")  # seven files, two of them with problems
    settle(app)
    shots.append((out / f"main_window{suffix}.png", "main.png"))
    window.grab().save(str(shots[-1][0]))
    window.workspace.show_overview()
    settle(app)
    shots.append((out / f"overview{suffix}.png", "overview.png"))
    window.grab().save(str(shots[-1][0]))
    if guide is not None:
        for path, name in shots:
            (guide / name).write_bytes(path.read_bytes())
        dialog_shots(app, window, guide)
    window.close()
    print(f"已保存截图到 {out}" + (f"，使用说明的图片到 {guide}" if guide else ""))
    return 0


def dialog_shots(app, window, folder: Path) -> None:
    """The confirm dialog on 2.4 (files with problems) and the export dialog with its plan, as the clerk sees them."""
    from ui.export.export_dialog import ExportDialog
    from ui.workspace.confirm_dialog import ConfirmDialog

    workspace = window.workspace
    workspace.show_criteria()
    workspace.criteria.select("2.4")
    settle(app)
    detail = workspace.detail
    crit = window.session.model.criterion("2.4")
    confirm = ConfirmDialog("2.4", crit.title, list(detail.model.rows), None, "张三", "", window)
    confirm.show()
    settle(app)
    confirm.grab().save(str(folder / "confirm.png"))
    confirm.close()
    export = ExportDialog(window.session, window)
    export.show()
    wait_for(app, lambda: not export.plan.text().startswith("正在统计"))
    settle(app)
    export.grab().save(str(folder / "export.png"))
    export.close()


if __name__ == "__main__":
    sys.exit(main())
