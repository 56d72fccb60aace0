"""Windows specifics the core must handle: long paths, names Windows cannot hold, handing files to the system shell,
and the missing console of a windowed (PyInstaller) build.

Pure functions where possible; `windows=` parameters let tests exercise the Windows logic on Linux. No Qt.
"""

from __future__ import annotations

import ntpath
import os
import re
import subprocess
import sys
import threading

from common.errors import UserError

ON_WINDOWS = os.name == "nt"
VERBATIM = "\\\\?\\"  # \\?\ : the Win32 API passes the path through unparsed, without the MAX_PATH (260) limit
VERBATIM_UNC = VERBATIM + "UNC\\"
# MAX_PATH is 260 with the final NUL; a folder listing appends "\*", and CreateDirectory stops at 248. Prefixing a
# little early costs nothing, so every path from this length on gets the prefix.
LONG_PATH = 240
RESERVED_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                            *(f"LPT{i}" for i in range(1, 10))})
FORBIDDEN_CHARS = re.compile(r'[<>:"|?*\\\x00-\x1f]')
# Any of the reasons below, in one search: almost every name has none, and the scan asks for every file it reads
_SUSPECT = re.compile(r'[<>:"|?*\\\x00-\x1f]|[. ]$|^(?:CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9]) *(?:\.|$)', re.IGNORECASE)


def long_path(path: str, windows: bool = ON_WINDOWS) -> str:
    """The path to hand to open/stat/scandir: on Windows, with the \\\\?\\ (or \\\\?\\UNC\\) prefix when it is
    too long for the classic API or ends in a dot or space (which the classic API silently drops). Elsewhere and
    for ordinary paths: unchanged, the same object."""
    if not windows or path.startswith(VERBATIM) or not _needs_verbatim(path):
        return path
    # a verbatim path is not normalised by Windows: make it absolute with backslashes and no ".." first. normpath,
    # not abspath: GetFullPathName would strip the trailing dots and spaces we are keeping.
    full = ntpath.normpath(path if ntpath.isabs(path) else ntpath.join(os.getcwd(), path))
    if full.startswith("\\\\"):  # \\server\share\... -> \\?\UNC\server\share\...
        return VERBATIM_UNC + full[2:]
    return VERBATIM + full


def _needs_verbatim(path: str) -> bool:
    if len(path) >= LONG_PATH:
        return True
    name = ntpath.basename(path)
    return bool(name) and name[-1] in ". " and name not in (".", "..")


def plain_path(path: str) -> str:
    """Undo long_path: the form stored in the archive and shown to the user."""
    if path.startswith(VERBATIM_UNC):
        return "\\\\" + path[len(VERBATIM_UNC):]
    if path.startswith(VERBATIM):
        return path[len(VERBATIM):]
    return path


def windows_name_problems(name: str) -> str | None:
    """Why Windows cannot hold a file of this name (legal on Linux, e.g. on a Linux file share), or None.

    Such a file cannot be opened, copied or exported on a Windows computer: the clerk must rename it.
    """
    if not _SUSPECT.search(name):
        return None
    reasons = []
    bad = sorted(set(FORBIDDEN_CHARS.findall(name)))
    if bad:
        shown = [ch for ch in bad if ch >= " "] + (["控制字符"] if any(ch < " " for ch in bad) else [])
        reasons.append("含有不允许的字符 " + "、".join(shown))
    stem = name.split(".", 1)[0].rstrip(" ").upper()
    if stem in RESERVED_NAMES:
        reasons.append(f"使用了系统保留名称 {stem}")
    if name and name[-1] in ". " and name not in (".", ".."):
        reasons.append("以点或空格结尾")
    if not reasons:
        return None
    return "文件名在 Windows 中无效（" + "；".join(reasons) + "），在 Windows 电脑上无法打开或复制，请改名"


def open_with_system(path: str) -> None:
    """Open a file or folder with the application the system associates with it (Explorer for a folder)."""
    _require(path, "无法打开")
    if sys.platform == "win32":
        try:
            os.startfile(path)  # ShellExecute: the user's default program; returns at once
        except OSError as exc:
            raise UserError(f"无法打开 {path}：{exc.strerror or exc}") from exc
    elif sys.platform == "darwin":
        spawn(["open", path], path)
    else:
        spawn(["xdg-open", path], path)


def show_in_folder(path: str) -> None:
    """Show the file in its folder: selected in Explorer on Windows or in Finder on macOS; elsewhere the folder."""
    _require(path, "无法显示")
    if sys.platform == "win32":
        spawn(["explorer", "/select,", ntpath.normpath(path)], path)
    elif sys.platform == "darwin":
        spawn(["open", "-R", path], path)
    else:
        spawn(["xdg-open", os.path.dirname(os.path.abspath(path))], path)


def _require(path: str, action: str) -> None:
    if not os.path.exists(long_path(path)):
        raise UserError(f"{action}：文件不存在或无法访问：{path}")


def spawn(command: list[str], path: str) -> None:
    """Start the shell helper or viewer and do not wait for it. Its streams are given explicitly: a windowed build
    has no stdin/stdout/stderr, and Popen fails there (WinError 6) without them. A daemon thread waits for it, so
    that it leaves no zombie behind (and no 'still running' warning when its Popen is collected)."""
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, close_fds=True)
    except OSError as exc:
        raise UserError(f"无法用系统程序打开 {path}：{command[0]} 不可用（{exc.strerror or exc}）") from exc
    threading.Thread(target=process.wait, name="spawned-program", daemon=True).start()


def ensure_std_streams() -> None:
    """Give the command line somewhere to write when the process has no console streams.

    The windowed ReviewReady.exe (and pythonw) start with sys.stdout/sys.stderr None. Run from a console, it
    attaches to that console so --version, self-check and every command still print; started any other way, output
    goes to the null device instead of crashing on None. (The console build ReviewReady-cli.exe needs none of
    this, and is the one to use in scripts: cmd.exe does not wait for a windowed program or see its exit code.)
    """
    if sys.stdout is not None and sys.stderr is not None:
        return
    console = ON_WINDOWS and _attach_parent_console()
    for fd, name, mode, device in ((0, "stdin", "r", "CONIN$"), (1, "stdout", "w", "CONOUT$"),
                                   (2, "stderr", "w", "CONOUT$")):
        if getattr(sys, name) is None:
            setattr(sys, name, _console_stream(device, mode) if console else _null_stream(fd, mode))


def _console_stream(device: str, mode: str):
    """CONIN$/CONOUT$ of the attached console; Python writes them as UTF-16 console I/O, so Chinese survives any
    console code page. Open for the life of the process."""
    return open(device, mode, encoding="utf-8")


def _null_stream(fd: int, mode: str):
    """The null device. Elsewhere than Windows it is put on the closed standard descriptor itself, so no file the
    program opens later lands on fd 1 or 2, where C libraries write their warnings."""
    if ON_WINDOWS:
        return open(os.devnull, mode, encoding="utf-8", errors="backslashreplace")
    try:
        os.fstat(fd)
    except OSError:
        null = os.open(os.devnull, os.O_RDWR)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
    return open(fd, mode, encoding="utf-8", errors="backslashreplace", closefd=False)


def _attach_parent_console() -> bool:
    import ctypes

    attach_parent_process = ctypes.c_uint32(-1 & 0xFFFFFFFF)  # ATTACH_PARENT_PROCESS
    try:
        return bool(ctypes.windll.kernel32.AttachConsole(attach_parent_process))
    except (AttributeError, OSError):
        return False
