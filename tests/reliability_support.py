"""Helpers for the reliability tests: hostile files made for real, processes killed mid-work, peak memory of a child
process, and the independent checks (integrity, disk versus index, leftovers) every fault test ends with."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from pathlib import Path

MAIN = str(Path(__file__).resolve().parent.parent / "main.py")
REPO = str(Path(__file__).resolve().parent.parent)
BOMB_BYTES = 500 << 20  # what the zip bomb inflates to


# --- good office files, then broken ones ------------------------------------------------------------------------

def pdf_bytes(pages: int = 2, text: str = "Evidence page") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for number in range(pages):
        page.drawString(72, 720, f"{text} {number + 1}")
        page.showPage()
    page.save()
    return buffer.getvalue()


def docx_bytes(text: str = "会议纪要") -> bytes:
    import docx

    document = docx.Document()
    for number in range(20):
        document.add_paragraph(f"{text}第{number}段")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    for number in range(50):
        workbook.active.append([number, f"台账第{number}行", "2024-05-01"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def png_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def encrypted_pdf_bytes() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(1))))
    writer.encrypt(user_password="机密", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


HTML_AS_PDF = "<!DOCTYPE html><html><head><title>登录</title></head><body>会话已过期</body></html>".encode()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb_bytes(side: int = 60000) -> bytes:
    """A tiny PNG declaring side x side pixels (3.6 gigapixels at 60000): a decompression bomb for any decoder that
    trusts the header. Its data is a few rows of zeros, compressed."""
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (side * 3 + 1) * 4, 9)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", rows) + _png_chunk(b"IEND", b"")


def _zeros(total: int, chunk: int = 1 << 20):
    block = bytes(chunk)
    for _ in range(total // chunk):
        yield block


def zip_bomb(path: Path, good: bytes, member: str, total: int = BOMB_BYTES) -> Path:
    """A copy of the Office file `good` whose `member` inflates to `total` bytes of zeros: written streaming,
    about total/1000 on disk."""
    source = zipfile.ZipFile(io.BytesIO(good))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            if info.filename != member:
                bomb.writestr(info.filename, source.read(info))
        info = zipfile.ZipInfo(member, (2024, 5, 1, 10, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with bomb.open(info, "w", force_zip64=True) as handle:
            for block in _zeros(total):
                handle.write(block)
    return path


def huge_sheet_xlsx(rows: int = 35_000) -> bytes:
    """An ordinary but huge spreadsheet (a data export picked by mistake): 10 text cells per row, about 18 MB of
    sheet XML at 35,000 rows in a file of about 1 MB. openpyxl would build an object for every cell."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    buffer = io.BytesIO()
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info.filename, source.read(info))
        with target.open(member, "w", force_zip64=True) as handle:
            handle.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for r in range(1, rows + 1):
                cells = "".join(f'<c r="{c}{r}" t="inlineStr"><is><t>x{r}</t></is></c>' for c in "ABCDEFGHIJ")
                handle.write(f'<row r="{r}">{cells}</row>'.encode())
            handle.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


BILLION_LAUGHS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
                            for n in range(1, 10))
                  + ']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                  "<w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>序号 &lol9;</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
                  "</w:body></w:document>")


def entity_bomb(path: Path, good: bytes, member: str) -> Path:
    """A copy of the Office file `good` whose `member` is the "billion laughs": 10^9 "lol"s (3 GB) for a parser that
    expands entities."""
    source = zipfile.ZipFile(io.BytesIO(good))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            bomb.writestr(info.filename, BILLION_LAUGHS.encode() if info.filename == member else source.read(info))
    return path


def hostile_files(folder: Path) -> dict[str, Path]:
    """The bombs, made once: a 500 MB zip bomb DOCX, a 200 MB one as XLSX, entity bombs, a 3.6-gigapixel PNG."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {
        "压缩炸弹.docx": zip_bomb(folder / "压缩炸弹.docx", docx_bytes(), "word/document.xml"),
        "压缩炸弹表格.xlsx": zip_bomb(folder / "压缩炸弹表格.xlsx", xlsx_bytes(), "xl/worksheets/sheet1.xml",
                                  200 << 20),
        "实体炸弹.docx": entity_bomb(folder / "实体炸弹.docx", docx_bytes(), "word/document.xml"),
        "实体炸弹表格.xlsx": entity_bomb(folder / "实体炸弹表格.xlsx", xlsx_bytes(), "xl/worksheets/sheet1.xml"),
    }
    (folder / "像素炸弹.png").write_bytes(png_bomb_bytes())
    made["像素炸弹.png"] = folder / "像素炸弹.png"
    return made


# --- corpora for the fault tests ---------------------------------------------------------------------------------

CODES = ("1.1", "1.2", "2.1", "2.2")  # leaf-ish codes of conftest's small catalogue, one folder each


def make_corpus(root: Path, files: int, pdf_every: int = 10, pdf_pages: int = 2) -> None:
    """`files` small files in folders of 200 under one folder per code; every `pdf_every`-th is a PDF."""
    pdf = pdf_bytes(pdf_pages)
    for n in range(files):
        folder = root / CODES[n % len(CODES)] / f"第{n // 200}批"
        folder.mkdir(parents=True, exist_ok=True)
        if n % pdf_every == 0:
            (folder / f"文件{n:05d}.pdf").write_bytes(pdf)
        else:
            (folder / f"记录{n:05d}.txt").write_text(f"第{n}份材料\n" * 20, encoding="utf-8")


def noise_png(side: int = 600) -> bytes:
    """An incompressible photo (random pixels, about 1 MB at 600 x 600): exports cannot shrink it."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


# --- independent checks -------------------------------------------------------------------------------------------

def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def integrity(db_path: str | Path) -> str:
    conn = sqlite3.connect(str(db_path))
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def disk_files(root: Path) -> dict[str, str]:
    """{absolute path: sha256} of every regular file under root, computed here, not by the code under test. Names
    starting with a dot are skipped: the scan never indexes them (see archive.index.walk)."""
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith("."):
                found[os.path.join(folder, name)] = sha256_of(os.path.join(folder, name))
    return found


def indexed_files(db_path: str | Path) -> dict[str, str]:
    conn = sqlite3.connect(str(db_path))
    try:
        return dict(conn.execute("SELECT path, sha256 FROM files WHERE sha256 IS NOT NULL"))
    finally:
        conn.close()


def listing(root: Path) -> list[str]:
    """Every name under root, hidden and temp files included."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


# --- processes ----------------------------------------------------------------------------------------------------

def cli(*args, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, MAIN, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          cwd=REPO)


def kill_after(args: list, seconds: float, ready=None) -> tuple[int, float]:
    """Start `python main.py *args` and SIGKILL it `seconds` after `ready()` first holds (after the start without
    `ready`). Returns (exit code, seconds from ready to exit): exit code -9 means the kill landed while it worked."""
    proc = subprocess.Popen([sys.executable, MAIN, *map(str, args)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=REPO)
    limit = time.monotonic() + 120
    while ready is not None and not ready() and proc.poll() is None and time.monotonic() < limit:
        time.sleep(0.002)
    started = time.monotonic()
    while proc.poll() is None and time.monotonic() < started + seconds:
        time.sleep(0.002)
    if proc.poll() is None:
        proc.kill()
    code = proc.wait(timeout=60)
    return code, time.monotonic() - started


class Running:
    """A `python main.py *args` process whose stdout lines are collected as they come (a pipe, read by a thread)."""

    def __init__(self, *args):
        self.proc = subprocess.Popen([sys.executable, MAIN, *map(str, args)], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, encoding="utf-8", cwd=REPO)
        self.lines: list[str] = []
        self.errors: list[str] = []  # stderr, drained as it comes (a full pipe would block the process)
        self.reader = threading.Thread(target=self._read, args=(self.proc.stdout, self.lines), daemon=True)
        self.reader.start()
        self.error_reader = threading.Thread(target=self._read, args=(self.proc.stderr, self.errors), daemon=True)
        self.error_reader.start()

    @staticmethod
    def _read(stream, into: list[str]) -> None:
        for line in stream:
            into.append(line.rstrip("\n"))

    def wait_line(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert self.proc.poll() is None and time.monotonic() < deadline, \
                f"no line with {text!r}: {self.lines[-5:]}; exit {self.proc.poll()}; stderr: {self.errors[-5:]}"
            time.sleep(0.01)

    def wait_lines(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.lines) < count:
            assert self.proc.poll() is None and time.monotonic() < deadline, f"{len(self.lines)} lines, not {count}"
            time.sleep(0.005)

    def kill(self) -> int:
        return self.stop(signal.SIGKILL)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Send `sig`, wait for the exit and close our end of the pipe (left to the garbage collector, it is a
        ResourceWarning in some later test). Returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout=60)
        self.reader.join(timeout=10)
        self.error_reader.join(timeout=10)
        self.proc.stdout.close()
        self.proc.stderr.close()
        return code

    def __enter__(self) -> Running:
        return self

    def __exit__(self, *exc) -> None:
        if not self.proc.stdout.closed:  # a failed assertion left it running: kill it, do not leak it
            self.kill()


PEAK_SNIPPET = """
import json, resource, sys, time
sys.path.insert(0, {repo!r})
started = time.perf_counter()
outcome = "ok"
try:
{body}
except BaseException as exc:
    outcome = type(exc).__name__ + ": " + str(exc)
try:  # this process's own high-water mark: ru_maxrss also counts the forking parent's memory (Linux, exec)
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"outcome": outcome, "seconds": time.perf_counter() - started, "peak_mb": peak / 1024,
                  "children_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))
"""


def run_measured(body: str, timeout: float = 300) -> dict:
    """Run Python statements in a fresh interpreter; return its outcome, seconds and peak RSS (MB, itself and its
    largest child, e.g. LibreOffice). A bomb that gets expanded shows up as hundreds of MB, or as a timeout."""
    import json

    code = PEAK_SNIPPET.format(repo=REPO, body="\n".join("    " + line for line in body.strip().splitlines()))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
