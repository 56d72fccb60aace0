"""Entry point of the command line: parse, dispatch, and turn every failure into one Chinese line and an exit code.

Exit 0 on success, 1 on a user error (bad file, unknown code, missing path), 2 on a usage error (argparse).
An unexpected error (a bug) also ends with one Chinese line and exit 1; its traceback goes to the log file
(reviewready.log in the user data folder, the app's own log), never to the console (REVIEWREADY_DEBUG=1 shows it).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

from cli import commands
from cli import exclusions as exclusion_commands
from cli import export as export_commands
from cli import metadata as metadata_commands
from cli import monitor as monitor_commands
from cli import packages as package_commands
from cli import search as search_commands
from cli import selfcheck as selfcheck_commands
from cli import selfeval as selfeval_commands
from cli import stage as stage_commands
from cli.parser import build_parser
from common.errors import Cancelled, ReviewReadyError, describe_failure

# Command groups added by later capabilities: each module has add_parsers(sub) and a HANDLERS dict.
EXTENSIONS = (monitor_commands, export_commands, selfcheck_commands, package_commands, selfeval_commands,
              metadata_commands, search_commands, stage_commands, exclusion_commands)
HANDLERS = {**commands.HANDLERS, **{k: v for m in EXTENSIONS for k, v in m.HANDLERS.items()}}
COMMANDS = frozenset(HANDLERS)


def _safe_streams() -> None:
    """A Windows pipe may use a legacy code page: never crash on a file name it cannot encode."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def run(argv: list[str]) -> int:
    _safe_streams()
    parser = build_parser(EXTENSIONS)
    args = parser.parse_args(argv)
    if args.version:
        from version import VERSION

        print(f"迎检通 ReviewReady {VERSION}")
        return 0
    if not args.command:
        parser.print_help()
        return 2
    try:
        HANDLERS[args.command](args)
        sys.stdout.flush()  # a reader gone is met here, and answered below, not as a traceback at exit
    except ReviewReadyError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except Cancelled:
        print("已取消", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError as exc:
        if not _reader_gone(exc):
            print(f"错误：{describe_failure(exc)}", file=sys.stderr)  # another pipe (a converter's): a real failure
        return 1
    except (OSError, sqlite3.Error) as exc:
        print(f"错误：{describe_failure(exc)}", file=sys.stderr)
        _debug_trace()
        return 1
    except Exception:  # a bug must still end with one Chinese line; the traceback is for support, in the log
        log_file = log_unexpected(argv)
        where = f"详情已记录在日志：{log_file}" if log_file else "未能写入日志"
        print(f"错误：程序内部错误，操作未完成。{where}（请将此文件发给技术支持）", file=sys.stderr)
        _debug_trace()
        return 1
    return 0


def _reader_gone(exc: BrokenPipeError) -> bool:
    """Whether what reads our output stopped (`status 档案 | head`, `| more`): said with no error line, as other
    command-line tools do. The commands print only from cli/, so a pipe broken there is stdout's. Output still
    buffered then goes nowhere rather than fail again at exit."""
    last = exc.__traceback__
    while last is not None and last.tb_next is not None:
        last = last.tb_next
    # by the module's name: the frozen app's frames name no file the source tree would
    if last is None or not str(last.tb_frame.f_globals.get("__name__", "")).startswith(f"{__package__}."):
        return False
    with contextlib.suppress(OSError, ValueError):  # no stdout at all (the windowed build) needs nothing
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return True


def log_unexpected(argv: list[str]) -> Path | None:
    """Append the current exception's traceback, with the command, to the app's log file; its path, or None."""
    from common.app_paths import user_data_dir

    text = f"{datetime.now():%Y-%m-%d %H:%M:%S} 命令行出错：{' '.join(argv)}\n{traceback.format_exc()}\n"
    for folder in (user_data_dir(), Path(tempfile.gettempdir())):
        log_file = folder / "reviewready.log"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with open(log_file, "a", encoding="utf-8") as handle:
                handle.write(text)
            return log_file
        except OSError:
            continue
    return None


def _debug_trace() -> None:
    if os.environ.get("REVIEWREADY_DEBUG"):
        traceback.print_exc()
