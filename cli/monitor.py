"""Command-line monitoring: `watch` runs the monitor in the foreground, `log` prints the change log.

    python main.py watch ARCHIVE [--poll SECONDS] [--quiet-period SECONDS] [--poll-all]
    python main.py log ARCHIVE [--since YYYY-MM-DD] [--code CODE] [--json]

Every line is flushed at once, so a pipe or a log file sees it as a terminal would. Ctrl+C or SIGTERM stops `watch`
cleanly (exit 0): an interrupted reconcile is rolled back, and the next start catches up.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import signal
import sys
import threading

from archive.changelog import format_entry, log_entries, parse_since, to_json
from archive.db import now, open_archive
from archive.monitor.polling import DEFAULT_POLL_INTERVAL
from archive.monitor.roots import POLLING, RootState
from archive.monitor.service import DEFAULT_SWEEP_INTERVAL, Monitor, MonitorState
from cli.commands import emit_json
from common.errors import UserError


def _seconds(text: str, low: float = 0.0) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为秒数：{text}") from None
    if not low <= value <= 86400:
        raise argparse.ArgumentTypeError(f"秒数应在 {low:g} 到 86400 之间：{text}")
    return value


def _interval(text: str) -> float:
    return _seconds(text, low=0.1)


def add_parsers(sub) -> None:
    watch = sub.add_parser("watch", help="实时监控关联的文件夹，逐条显示变更（Ctrl+C 停止）")
    watch.add_argument("archive", metavar="ARCHIVE")
    watch.add_argument("--poll", type=_interval, metavar="SECONDS",
                       help=f"网络位置的轮询间隔（默认 {DEFAULT_POLL_INTERVAL:g} 秒）")
    watch.add_argument("--quiet-period", type=_seconds, default=1.0, metavar="SECONDS",
                       help="文件停止变化多久后才记录（默认 1 秒）")
    watch.add_argument("--poll-all", action="store_true", help="所有文件夹都用轮询（本地监控不可用时）")

    log = sub.add_parser("log", help="查看变更记录")
    log.add_argument("archive", metavar="ARCHIVE")
    log.add_argument("--since", metavar="YYYY-MM-DD", help="只显示此日期起的变更")
    log.add_argument("--code", metavar="CODE", help="只显示此评价项目（含下级项目）的变更")
    log.add_argument("--json", action="store_true", help="以 JSON 输出")


def say(text: str) -> None:
    print(text, flush=True)


def describe_root(root: RootState, poll: float) -> str:
    kind = f"轮询（每 {poll:g} 秒）" if root.observer == POLLING else root.observer_name
    note = f"，{root.reason}" if root.reason else ""
    away = "" if root.reachable else f"；暂时无法访问：{root.error or ''}"
    return f"  {kind}{note}：{root.path}{away}"


class _Printer:
    """The monitor's callbacks, printing from its thread: the root list once, then reachability and changes. When
    what reads the output stops (`watch 档案 | head`), the watch ends: each line had raised in the monitor's thread,
    a traceback on the console, and the watch went on for nobody."""

    def __init__(self, poll: float, stop: threading.Event):
        self.poll = poll
        self.stop = stop
        self.reader_gone = False
        self.reachable: dict[str, bool] = {}
        self.state = ""

    def say(self, text: str) -> None:
        if self.reader_gone:
            return
        try:
            say(text)
        except BrokenPipeError:
            self.reader_gone = True
            self.stop.set()

    def on_state(self, state: MonitorState) -> None:
        if not self.reachable and state.roots:
            self.say(f"正在监控 {len(state.roots)} 个文件夹：")
            for root in state.roots:
                self.say(describe_root(root, self.poll))
        elif state.state == "starting" and not state.roots and not self.state:
            self.say("档案中还没有关联任何文件夹；关联后将自动开始监控")
        for root in state.roots:
            before = self.reachable.get(root.path)
            if before is None and self.state:
                self.say(f"{now()} 开始监控新关联的文件夹：" + describe_root(root, self.poll).strip())
            elif before is not None and before != root.reachable:
                self.say(f"{now()} 恢复访问：{root.path}" if root.reachable
                    else f"{now()} 无法访问：{root.path}（{root.error}）")
            self.reachable[root.path] = root.reachable
        if state.state == "running" and self.state != "running":
            self.say("已核对离线期间的变化，开始实时监控（按 Ctrl+C 停止）")
        self.state = state.state

    def on_changes(self, entries: list[dict]) -> None:
        for entry in entries:
            self.say(format_entry(entry))


@contextlib.contextmanager
def _stop_on_sigterm(stop: threading.Event):
    """SIGTERM (and Ctrl+Break on Windows) end the wait like Ctrl+C does."""
    names = [name for name in ("SIGTERM", "SIGBREAK") if hasattr(signal, name)]
    previous = {name: signal.signal(getattr(signal, name), lambda *_: stop.set()) for name in names}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def cmd_watch(args) -> None:
    open_archive(args.archive).close()  # a wrong path fails here, with the archive's own message
    poll = args.poll or DEFAULT_POLL_INTERVAL
    stop = threading.Event()
    printer = _Printer(poll, stop)
    monitor = Monitor(args.archive, quiet_period=args.quiet_period, poll_interval=poll,
                      sweep_interval=DEFAULT_SWEEP_INTERVAL, on_changes=printer.on_changes,
                      on_state=printer.on_state, force_polling=args.poll_all)
    say(f"开始监控档案：{args.archive}（静默期 {args.quiet_period:g} 秒，"
        f"每 {DEFAULT_SWEEP_INTERVAL / 60:g} 分钟全面核对一次）")
    with _stop_on_sigterm(stop):
        monitor.start()
        try:
            while not stop.wait(0.5) and monitor.state != "stopped":
                pass
        except KeyboardInterrupt:
            pass
        finally:
            monitor.stop(timeout=10)
    if printer.reader_gone:  # ended as any command whose reader stops (cli/run.py): quietly, exit 1
        raise BrokenPipeError(errno.EPIPE, "输出已关闭")
    if monitor.error:
        raise UserError(monitor.error)
    say("已停止监控")


def cmd_log(args) -> None:
    since = parse_since(args.since) if args.since else None
    with open_archive(args.archive) as archive:
        entries = log_entries(archive, since=since, code=args.code)
    if args.json:
        emit_json([to_json(entry) for entry in entries])
        return
    for entry in entries:
        print(format_entry(entry))
    if not entries:
        print("没有符合条件的变更记录")
    sys.stdout.flush()


HANDLERS = {"watch": cmd_watch, "log": cmd_log}
