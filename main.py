"""ReviewReady (迎检通): start the desktop app, or run the command line over the same core.

    python main.py                 start screen
    python main.py ARCHIVE         open an archive in the app
    python main.py --demo          open a freshly generated demo archive
    python main.py COMMAND ...     the command line (new, criteria, link, scan, status, ...); see --help

The command line never imports Qt, so it runs on machines without a display.
"""

from __future__ import annotations

import os
import sys

APP_OPTIONS = ("--demo",)


def wants_app(argv: list[str]) -> bool:
    """No arguments, --demo, or an archive path open the window; anything else is the command line."""
    if not argv:
        return True
    first = argv[0]
    if first in APP_OPTIONS:
        return True
    if first.startswith("-"):
        return False
    from cli.run import COMMANDS

    return first not in COMMANDS and (first.lower().endswith(".rrdb") or os.path.isfile(first))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from common.app_paths import use_ocr_addon

    use_ocr_addon()  # the OCR add-on folder beside the exe, when there is one (before anything imports OCR)
    if wants_app(argv):
        from ui.app import run_app  # Qt is imported only here

        return run_app(argv)
    from common.winpaths import ensure_std_streams

    ensure_std_streams()  # the windowed build has no stdout/stderr: attach to the console it was started from
    from cli.run import run

    return run(argv)


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # in the frozen app, a page-counting worker starts here: run it, not the app
    sys.exit(main())
