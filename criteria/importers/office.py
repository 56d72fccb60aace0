"""Old Word (.doc), WPS (.wps, .et), OpenDocument (.odt, .ods) and UOF (.uot, .uos) files: converted to .docx/.xlsx by
LibreOffice, where it is installed.

No Python library reads these binary formats well; LibreOffice does, headless. The source is copied into a temp
folder first, because LibreOffice leaves a lock file beside the file it opens and the source may sit in an evidence
folder, which is never written to. Without LibreOffice the clerk is told what to install, or how to re-save.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from common.child_env import utf8_env
from criteria.errors import import_error
from criteria.model import CatalogueError

TIMEOUT = 120  # seconds; a first start of LibreOffice with a new profile takes several
_RESAVE = {".doc": "Word 中另存为 .docx", ".wps": "WPS 文字中另存为 .docx", ".et": "WPS 表格中另存为 .xlsx",
           ".docx": "Word 或 WPS 中另存为 .docx", ".xls": "Excel 或 WPS 中另存为 .xlsx",
           ".xlsx": "Excel 或 WPS 中另存为 .xlsx", ".xlsm": "Excel 或 WPS 中另存为 .xlsx",
           ".odt": "WPS 或 Word 中另存为 .docx", ".ods": "WPS 或 Excel 中另存为 .xlsx",
           ".uot": "WPS 文字中另存为 .docx", ".uos": "WPS 表格中另存为 .xlsx"}
_WINDOWS_PATHS = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                  r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _WINDOWS_PATHS if os.name == "nt" and Path(p).is_file()), None)


def missing_message(suffix: str) -> str:
    return (f"读取 {suffix} 文件需要安装 LibreOffice（免费办公软件，安装后重新导入即可），"
            f"或在{_RESAVE[suffix]}后再导入")


@contextmanager
def converted_copy(path: Path, target: str, holds: str | None = None, web: bool = False) -> Iterator[Path]:
    """A .docx/.xlsx copy of `path` in a temp folder, removed afterwards; messages keep the original name. `holds`:
    the format the file really is when its name says another (a Word 97 file named .docx, sniff.py); `web`: a web
    page under an office name, its table read by LibreOffice's HTML import."""
    suffix = ".html" if web else holds or path.suffix.lower()
    resave = _RESAVE.get(path.suffix.lower(), _RESAVE[".xlsx" if target == ".xlsx" else ".docx"])
    soffice = find_soffice()
    if soffice is None:
        if web:
            raise import_error(path.name, f"这个文件实际是网页（HTML）格式，不是真正的 {path.suffix} 文件（常见于"
                                          f"办公系统的“导出”）：请在{resave}后再导入，或安装 LibreOffice")
        named = "" if suffix == path.suffix.lower() else f"这个文件名为 {path.suffix}，实际是 {suffix} 格式；"
        raise import_error(path.name, named + missing_message(suffix))
    with tempfile.TemporaryDirectory(prefix="rr-convert-") as temp:
        folder = Path(temp)
        source = folder / f"source{suffix}"
        shutil.copyfile(path, source)
        command = [soffice, "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation={(folder / 'profile').as_uri()}", *_web_filters(web, target),
                   "--outdir", str(folder / "out"), str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False, stdin=subprocess.DEVNULL,
                           env=utf8_env())  # a non-ASCII temp path under LC_ALL=C would hang it
        except subprocess.TimeoutExpired as exc:
            raise import_error(path.name, f"LibreOffice 转换超过 {TIMEOUT} 秒仍未完成，请在{resave}"
                                          "后再导入") from exc
        except OSError as exc:
            raise import_error(path.name, f"无法启动 LibreOffice（{exc.strerror or exc}），请在{resave}"
                                          "后再导入") from exc
        result = folder / "out" / f"source{target}"
        if not result.is_file():
            raise import_error(path.name, f"LibreOffice 无法转换这个文件（可能已损坏或加密），请在{resave}"
                                          "后再导入")
        try:
            yield result
        except CatalogueError as exc:
            raise CatalogueError(str(exc).replace(result.name, path.name)) from exc


def _web_filters(web: bool, target: str) -> list[str]:
    """How LibreOffice turns a web page's table into a workbook (Calc's HTML import) or a Word document (Writer/Web
    has no default .docx export)."""
    if not web:
        return ["--convert-to", target.lstrip(".")]
    if target == ".xlsx":
        return ["--infilter=HTML (StarCalc)", "--convert-to", "xlsx"]
    return ["--convert-to", "docx:MS Word 2007 XML"]
