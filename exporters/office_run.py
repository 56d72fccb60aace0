"""Run an Office converter on copies of the evidence, in a temp folder, with cancel and timeouts.

LibreOffice converts a batch of files per start (it takes about a second to start). Each file has a time limit
(SECONDS_PER_FILE without a new PDF appearing): a document that hangs the converter is given up alone, the
converter (with its helper processes) is stopped, and the files after it are converted by a fresh start.
Spreadsheet copies get a print setup first (exporters/sheet_setup.py: landscape when wide, fit to page width, grid
lines, header rows repeated), so converted sheets are not cut across pages. On Linux a fontconfig file maps the
Windows font names the documents ask for (宋体, 仿宋, 黑体 ...) to installed CJK fonts; without it LibreOffice picks
a Japanese face. Windows COM conversion (Word/Excel/WPS) goes through a
PowerShell script.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from archive.index.filetypes import extension
from common.child_env import utf8_env
from common.progress import ProgressReporter
from exporters.attachments import CONVERTED_BY
from exporters.document_final import DOCUMENT_TYPES, show_final
from exporters.sheet_setup import SHEET_TYPES, set_up_pages

OLD_SHEETS = ("xls", "et")
BATCH = 20
SECONDS_PER_FILE = 60  # a file that takes longer is given up: it is listed, not attached
START_SECONDS = 30  # the converter's own start (a first LibreOffice start builds its profile)
POLL_SECONDS = 0.25
NO_WINDOW = 0x08000000 if sys.platform == "win32" else 0  # CREATE_NO_WINDOW: no console flashing up
NEW_GROUP = 0x00000200 if sys.platform == "win32" else 0  # CREATE_NEW_PROCESS_GROUP
WINDOWS_FONTS = ("宋体", "SimSun", "新宋体", "NSimSun", "仿宋", "FangSong", "仿宋_GB2312", "FangSong_GB2312", "楷体",
                 "KaiTi", "楷体_GB2312", "黑体", "SimHei", "微软雅黑", "Microsoft YaHei", "方正小标宋简体", "等线",
                 "DengXian")
CJK_FAMILIES = ("WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "AR PL UMing CN", "Noto Serif CJK SC",
                "Noto Sans CJK SC", "Source Han Serif SC")
POWERSHELL_SCRIPT = r"""
param([string]$ListFile, [string]$ProgId, [string]$Kind)
$app = New-Object -ComObject $ProgId
try { $app.Visible = $false } catch {}
try { $app.DisplayAlerts = 0 } catch {}
foreach ($line in Get-Content -LiteralPath $ListFile -Encoding UTF8) {
  $parts = $line -split "`t"
  try {
    if ($Kind -eq 'word') {
      $doc = $app.Documents.Open($parts[0], $false, $true)
      $doc.ExportAsFixedFormat($parts[1], 17)
      $doc.Close(0)
    } else {
      $book = $app.Workbooks.Open($parts[0], 0, $true)
      foreach ($sheet in $book.Worksheets) {
        try {
          $setup = $sheet.PageSetup
          if ($sheet.UsedRange.Width -gt 520) { $setup.Orientation = 2 }
          $setup.Zoom = $false; $setup.FitToPagesWide = 1; $setup.FitToPagesTall = $false
          $setup.PrintGridlines = $true
          if (-not $setup.PrintTitleRows) { $setup.PrintTitleRows = '$1:$1' }
        } catch {}
      }
      $book.ExportAsFixedFormat(0, $parts[1])
      $book.Close($false)
    }
  } catch { Write-Output ("failed: " + $parts[0]) }
}
try { $app.Quit() } catch {}
"""


def convert(converter, files: list[tuple[str, str]], workdir: str, job: ProgressReporter, start: float,
            span: float, printable: bool = True) -> tuple[dict[str, str], dict[str, str]]:
    """Convert [(key, path)] to PDF. Returns ({key: pdf path}, {key: why it did not convert}) for the failures
    worth naming (a time limit ran out); any other file simply has no PDF."""
    base = Path(workdir) / "office"
    inbox, outbox = base / "in", base / "out"
    inbox.mkdir(parents=True, exist_ok=True)
    outbox.mkdir(exist_ok=True)
    copies = []
    for number, (key, path) in enumerate(files):
        copy = inbox / f"{number:05d}.{extension(path)}"
        try:
            shutil.copyfile(path, copy)  # read the evidence once; the converter only ever sees the copy
        except OSError:
            continue  # unreadable now: it is not converted, and the dossier says so
        copies.append(_Copy(key, copy, outbox / f"{number:05d}.pdf"))
    timed_out: set[str] = set()
    if printable:
        _set_up_sheets(converter, copies, base, job)
        for copy in copies:  # as the document stands, without its tracked changes (exporters.document_final)
            if copy.source.suffix[1:].lower() in DOCUMENT_TYPES:
                with contextlib.suppress(Exception):  # a document this cannot set is converted as it is
                    show_final(str(copy.source))
    if converter.program == "com":
        for kind, prog_id in (("word", converter.word), ("sheet", converter.sheet)):
            types = {t for t, by in CONVERTED_BY.items() if by == kind}
            chosen = [c for c in copies if c.source.suffix[1:].lower() in types]
            if chosen and prog_id:
                timed_out |= _convert_in_turn(chosen, lambda batch, k=kind, p=prog_id: _com_command(base, batch, k, p),
                                              dict(os.environ), job)
    else:
        env = utf8_env()  # a non-ASCII temp path under LC_ALL=C would make LibreOffice hang
        if sys.platform != "win32":
            env["FONTCONFIG_FILE"] = str(_fontconfig(base))
        for done in range(0, len(copies), BATCH):
            job.report(start + span * done / max(1, len(copies)), f"正在转换 Office 文件 {done}/{len(copies)}")
            timed_out |= _convert_in_turn(copies[done:done + BATCH],
                                          lambda batch: _soffice_command(converter.program, batch, base, outbox),
                                          env, job)
    converted = {c.key: str(c.target) for c in copies if c.converted()}
    why = f"转换为 PDF 超过 {SECONDS_PER_FILE} 秒未完成，已停止，只列入目录"
    return converted, {key: why for key in timed_out if key not in converted}


def _set_up_sheets(converter, copies: list[_Copy], base: Path, job: ProgressReporter) -> None:
    """Spreadsheet copies get their print setup (exporters/sheet_setup.py) before conversion. LibreOffice first
    turns old .xls/.et copies into .xlsx (one start for all of them) so that they get it too; Excel and WPS set the
    same up themselves in the conversion script."""
    if converter.program != "com":
        old = [c for c in copies if c.source.suffix[1:].lower() in OLD_SHEETS]
        if old:
            modern = base / "xlsx"
            modern.mkdir(exist_ok=True)
            watch = [_Copy(c.key, c.source, modern / (c.source.stem + ".xlsx")) for c in old]
            env = dict(os.environ)
            _run(_soffice_command(converter.program, [c.source for c in old], base, modern, "xlsx"), env, watch,
                 job)
            for copy, converted in zip(old, watch, strict=True):
                if converted.converted():
                    copy.source = converted.target
    for copy in copies:
        if copy.source.suffix[1:].lower() in SHEET_TYPES:
            try:
                set_up_pages(str(copy.source))
            except Exception:  # a workbook this cannot read is converted as it is: never a stop
                continue


class _Copy:
    def __init__(self, key: str, source: Path, target: Path):
        self.key, self.source, self.target = key, source, target

    def converted(self) -> bool:
        return self.target.is_file() and self.target.stat().st_size > 0


def _convert_in_turn(batch: list[_Copy], command_for, env: dict, job: ProgressReporter) -> set[str]:
    """Run the converter on `batch`; converters work through their files in order, so when one stops making
    progress, the first file after the last one converted is the one that hangs: it is given up and the converter
    starts again on the files after it. Returns the keys of the files given up."""
    given_up: set[str] = set()
    while batch:
        if _run(command_for([c.source for c in batch]), env, batch, job):
            return given_up
        done = [n for n, c in enumerate(batch) if c.converted()]
        hung = done[-1] + 1 if done else 0
        if hung >= len(batch):
            return given_up
        given_up.add(batch[hung].key)
        batch = batch[hung + 1:]
    return given_up


def _soffice_command(program: str, batch: list[Path], base: Path, outbox: Path, to: str = "pdf") -> list[str]:
    return [program, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            f"-env:UserInstallation={(base / 'profile').absolute().as_uri()}", "--convert-to", to,
            "--outdir", str(outbox), *map(str, batch)]


def _com_command(base: Path, batch: list[Path], kind: str, prog_id: str) -> list[str]:
    script = base / "convert.ps1"
    script.write_text(POWERSHELL_SCRIPT, encoding="utf-8-sig")
    listing = base / f"{kind}.txt"
    outbox = base / "out"
    listing.write_text("\n".join(f"{path}\t{outbox / (path.stem + '.pdf')}" for path in batch), encoding="utf-8-sig")
    return ["powershell", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File", str(script),
            "-ListFile", str(listing), "-ProgId", prog_id, "-Kind", kind]


def _run(command: list[str], env: dict, batch: list[_Copy], job: ProgressReporter) -> bool:
    """Run a converter until it ends (True), or stop it on cancel or when no new PDF has appeared for
    SECONDS_PER_FILE (plus the start-up allowance before the first): False. Streams are redirected (a windowed
    build has none); the converter runs in its own process group, so its helpers (soffice.bin) are stopped too."""
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=env, creationflags=NO_WINDOW | NEW_GROUP,
                                   start_new_session=sys.platform != "win32")
    except OSError:
        return True  # the files simply do not convert; the dossier lists them
    converted = 0
    deadline = time.monotonic() + SECONDS_PER_FILE + START_SECONDS
    try:
        while True:
            try:
                process.wait(timeout=POLL_SECONDS)
                return True
            except subprocess.TimeoutExpired:
                job.check()
                now_converted = sum(1 for c in batch if c.converted())
                if now_converted > converted:
                    converted, deadline = now_converted, time.monotonic() + SECONDS_PER_FILE
                elif time.monotonic() > deadline:
                    return False
    finally:
        if process.poll() is None:
            _stop(process)


def _stop(process: subprocess.Popen) -> None:
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, creationflags=NO_WINDOW, check=False)
    else:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        process.kill()
    process.wait()


def _fontconfig(base: Path) -> Path:
    conf = base / "fonts.conf"
    if not conf.exists():
        prefer = "".join(f"<family>{family}</family>" for family in CJK_FAMILIES)
        aliases = "".join(f"<alias binding=\"same\"><family>{name}</family><prefer>{prefer}</prefer></alias>"
                          for name in WINDOWS_FONTS)
        conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                        f"<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>{aliases}</fontconfig>",
                        encoding="utf-8")
    return conf
