"""Run an Office converter on copies of the evidence, in a temp folder, with cancel and timeouts.

LibreOffice converts a batch of files per start (it takes about a second to start). On Linux a fontconfig file
maps the Windows font names the documents ask for (宋体, 仿宋, 黑体 ...) to installed CJK fonts; without it
LibreOffice picks a Japanese face. Windows COM conversion (Word/Excel/WPS) goes through a PowerShell script.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from archive.index.filetypes import extension
from common.progress import ProgressReporter

BATCH = 20
SECONDS_PER_FILE = 60
NO_WINDOW = 0x08000000 if sys.platform == "win32" else 0  # CREATE_NO_WINDOW: no console flashing up
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
      $book.ExportAsFixedFormat(0, $parts[1])
      $book.Close($false)
    }
  } catch { Write-Output ("failed: " + $parts[0]) }
}
try { $app.Quit() } catch {}
"""


def convert(converter, files: list[tuple[str, str]], workdir: str, job: ProgressReporter, start: float,
            span: float) -> dict[str, str]:
    base = Path(workdir) / "office"
    inbox, outbox = base / "in", base / "out"
    inbox.mkdir(parents=True, exist_ok=True)
    outbox.mkdir(exist_ok=True)
    copies = []
    for number, (key, path) in enumerate(files):
        copy = inbox / f"{number:05d}.{extension(path)}"
        shutil.copyfile(path, copy)  # read the evidence once; the converter only ever sees the copy
        copies.append((key, copy, outbox / f"{number:05d}.pdf"))
    if converter.program == "com":
        _convert_com(converter, copies, base, job)
    else:
        for done in range(0, len(copies), BATCH):
            job.report(start + span * done / max(1, len(copies)), f"正在转换 Office 文件 {done}/{len(copies)}")
            _convert_soffice(converter.program, [c[1] for c in copies[done:done + BATCH]], base, outbox, job)
    return {key: str(pdf) for key, _, pdf in copies if pdf.is_file() and pdf.stat().st_size > 0}


def _convert_soffice(program: str, batch: list[Path], base: Path, outbox: Path, job: ProgressReporter) -> None:
    env = dict(os.environ)
    if sys.platform != "win32":
        env["FONTCONFIG_FILE"] = str(_fontconfig(base))
    command = [program, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
               f"-env:UserInstallation={(base / 'profile').absolute().as_uri()}", "--convert-to", "pdf",
               "--outdir", str(outbox), *map(str, batch)]
    _run(command, env, SECONDS_PER_FILE * len(batch), job)


def _convert_com(converter, copies: list, base: Path, job: ProgressReporter) -> None:
    script = base / "convert.ps1"
    script.write_text(POWERSHELL_SCRIPT, encoding="utf-8-sig")
    for kind, prog_id, types in (("word", converter.word, {"docx", "doc", "wps"}),
                                 ("sheet", converter.sheet, {"xlsx", "xls", "et"})):
        chosen = [c for c in copies if c[1].suffix[1:].lower() in types]
        if not chosen or not prog_id:
            continue
        listing = base / f"{kind}.txt"
        listing.write_text("\n".join(f"{c[1]}\t{c[2]}" for c in chosen), encoding="utf-8-sig")
        command = ["powershell", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File", str(script),
                   "-ListFile", str(listing), "-ProgId", prog_id, "-Kind", kind]
        _run(command, dict(os.environ), SECONDS_PER_FILE * len(chosen), job)


def _run(command: list[str], env: dict, timeout: float, job: ProgressReporter) -> None:
    """Run a converter; stop it on cancel or timeout. Streams are redirected (a windowed build has none)."""
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=env, creationflags=NO_WINDOW)
    except OSError:
        return  # the files simply do not convert; the dossier lists them
    waited = 0.0
    try:
        while True:
            try:
                process.wait(timeout=0.25)
                return
            except subprocess.TimeoutExpired:
                waited += 0.25
                job.check()
                if waited > timeout:
                    return
    finally:
        if process.poll() is None:
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
