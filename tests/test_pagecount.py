"""Page counts and Office checks in the scan's second pass (archive.index.inspection) by the small readers
(archive.index: pdfpages, officezip): for every layout a PDF writer uses, the same count pypdf reads; for Office
files, the same answer as the full zipfile check; for anything they are not sure about, no answer, so the file is
parsed fully as before. What waits for the pass is kept in the archive until the pass has written its results."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reliability_support import docx_bytes, encrypted_pdf_bytes, hostile_files, pdf_bytes, truncated, xlsx_bytes

import archive.index.filetypes as filetypes
from archive.index import inspection, officezip, pdfpages
from archive.index.scan import count_waiting, scan
from archive.links import link
from common.errors import Cancelled


def packed_pdf(pages: int, filters: str = "up", indirect_count: bool = False) -> bytes:
    """A PDF 1.5 as Acrobat or qpdf write it: every dictionary in a compressed object stream, located by a
    cross-reference stream with the PNG predictor. `filters`: "up" (each row "Up", the usual) or "mixed" (None, Sub
    and Up in turn). With `indirect_count`, /Count is a reference to an integer object."""
    kids = list(range(3, 3 + pages))
    count_number = 3 + pages
    count = f"{count_number} 0 R" if indirect_count else str(pages)
    bodies = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
              2: f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {count} >>".encode()}
    for kid in kids:
        bodies[kid] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>"
    if indirect_count:
        bodies[count_number] = str(pages).encode()
    numbers = sorted(bodies)
    offsets, joined = [], b""
    for number in numbers:
        offsets.append(len(joined))
        joined += bodies[number] + b"\n"
    header = " ".join(f"{n} {o}" for n, o in zip(numbers, offsets, strict=True)).encode() + b"\n"
    stream_number = max(numbers) + 1
    xref_number = stream_number + 1
    data = zlib.compress(header + joined)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    stream_at = len(out)
    out += (f"{stream_number} 0 obj\n<< /Type /ObjStm /N {len(numbers)} /First {len(header)} /Filter /FlateDecode "
            f"/Length {len(data)} >>\nstream\n").encode() + data + b"\nendstream\nendobj\n"
    xref_at = len(out)
    rows = [(0, 0, 255)] + [(2, stream_number, numbers.index(n)) if n in bodies else (0, 0, 0)
                            for n in range(1, stream_number)] + [(1, stream_at, 0), (1, xref_at, 0)]
    encoded, previous = b"", bytes(4)
    for index, (kind, field, generation) in enumerate(rows):
        row = struct.pack(">BHB", kind, field, generation)
        kind_of_row = 2 if filters == "up" else index % 3
        if kind_of_row == 2:
            coded = bytes((a - b) & 0xFF for a, b in zip(row, previous, strict=True))
        elif kind_of_row == 1:
            coded = bytes((row[i] - (row[i - 1] if i else 0)) & 0xFF for i in range(4))
        else:
            coded = row
        encoded += bytes([kind_of_row]) + coded
        previous = row
    xref = zlib.compress(encoded)
    out += (f"{xref_number} 0 obj\n<< /Type /XRef /Size {xref_number + 1} /W [1 2 1] /Root 1 0 R /Filter "
            f"/FlateDecode /DecodeParms << /Columns 4 /Predictor 12 >> /Length {len(xref)} >>\nstream\n").encode()
    out += xref + b"\nendstream\nendobj\n" + f"startxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)


def rewritten_pdf(pages: int) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(pages))))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def updated_pdf(tmp: Path) -> bytes:
    """Two pages, then a third added by an incremental update (a second cross-reference section, /Prev)."""
    original = tmp / "原件.pdf"
    original.write_bytes(pdf_bytes(2))
    writer = PdfWriter(str(original), incremental=True)
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def big_pdf() -> bytes:
    """Over a megabyte (an incompressible image), so the reader works at offsets of the open file."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    photo = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for _ in range(3):
        page.drawImage(ImageReader(photo), 0, 0, 300, 300)
        page.showPage()
    page.save()
    assert len(buffer.getvalue()) > filetypes.INSPECT_WHOLE
    return buffer.getvalue()


def fd_reader(path: Path):
    handle = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by the caller's finaliser below
    return handle, lambda offset, length: os.pread(handle.fileno(), length, offset)


SOUND = {
    "reportlab.pdf": (lambda tmp: pdf_bytes(5), 5),
    "pypdf.pdf": (lambda tmp: rewritten_pdf(4), 4),
    "incremental.pdf": (updated_pdf, 3),
    "packed.pdf": (lambda tmp: packed_pdf(7), 7),
    "packed-mixed-rows.pdf": (lambda tmp: packed_pdf(6, "mixed", indirect_count=True), 6),
    "big.pdf": (lambda tmp: big_pdf(), 3),
}


@pytest.mark.parametrize("name", SOUND)
def test_the_declared_count_is_what_pypdf_reads(tmp_path, name):
    make, pages = SOUND[name]
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    data = path.read_bytes()
    assert len(PdfReader(str(path)).pages) == pages  # an independent parser agrees the file is what it claims
    handle, read = fd_reader(path)
    with handle:
        assert pdfpages.page_count(None, len(data), read) == pages  # at offsets of the open file
    assert pdfpages.page_count(data, len(data)) == pages  # from the bytes in memory
    assert filetypes.count_pages(str(path), "pdf") == (pages, None)


def _wrong_startxref(data: bytes) -> bytes:
    at = data.rfind(b"startxref")
    return data[:at] + b"startxref\n12\n%%EOF\n"


def _empty_password_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(3))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


UNSURE = {  # name -> (content, what the full parse gives)
    "加密的通知.pdf": (encrypted_pdf_bytes, (None, "PDF 已加密，无法读取页数")),
    "无密码加密.pdf": (_empty_password_pdf, (3, None)),  # AES with an empty user password: pypdf decrypts
    "截断的通知.pdf": (lambda: truncated(pdf_bytes(3)), (None, "PDF 文件已损坏，无法读取页数")),
    "偏移错误.pdf": (lambda: _wrong_startxref(pdf_bytes(3)), (3, None)),  # pypdf rebuilds the cross-reference
    "页数为零.pdf": (lambda: pdf_bytes(3).replace(b"/Count 3", b"/Count 0"), (3, None)),  # pypdf walks the pages
}


@pytest.mark.parametrize("name", UNSURE)
def test_what_the_reader_is_not_sure_about_is_parsed_fully(tmp_path, name):
    make, expected = UNSURE[name]
    path = tmp_path / name
    path.write_bytes(make())
    data = path.read_bytes()
    assert pdfpages.page_count(data, len(data)) is None
    assert filetypes.count_pages(str(path), "pdf") == expected


@pytest.fixture(scope="module")
def office_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("office")
    files = {name: path for name, path in hostile_files(folder).items() if not name.endswith(".png")}
    for name, data in {"方案.docx": docx_bytes(), "台账.xlsx": xlsx_bytes(), "截断的方案.docx": truncated(docx_bytes()),
                       "截断的台账.xlsx": truncated(xlsx_bytes()),
                       "前有数据.docx": b"MZ" + bytes(510) + docx_bytes()}.items():  # zipfile reads that too
        (folder / name).write_bytes(data)
        files[name] = folder / name
    return files


def full_check(path: Path, kind: str):
    """archive.index.filetypes' zipfile check, as before this reader existed."""
    if kind == "docx":
        return filetypes._docx_pages(str(path))
    return None, filetypes._office_problem(str(path), kind)


def test_office_checks_from_the_central_directory_agree_with_zipfile(office_files):
    answered = set()
    for name, path in office_files.items():
        kind = name.rsplit(".", 1)[1]
        data = path.read_bytes()
        quick = officezip.inspect(data, len(data), kind)
        handle, read = fd_reader(path)
        with handle:
            assert officezip.inspect(None, len(data), kind, read) == quick, name
        if quick is not None:
            answered.add(name)
            assert quick == full_check(path, kind), name
        assert filetypes.count_pages(str(path), kind) == full_check(path, kind), name
    # sound files, both bombs by declared sizes and both DTDs are judged from the directory and the parts' prologs;
    # damaged files and data before the archive are left to zipfile
    assert answered == {"方案.docx", "台账.xlsx", "压缩炸弹.docx", "压缩炸弹表格.xlsx", "实体炸弹.docx",
                        "实体炸弹表格.xlsx"}
    assert officezip.inspect(office_files["方案.docx"].read_bytes(), office_files["方案.docx"].stat().st_size,
                             "docx") == (1, None)


MIXED = {"通知.pdf": lambda: pdf_bytes(4), "压缩的通知.pdf": lambda: packed_pdf(9), "方案.docx": docx_bytes,
         "台账.xlsx": xlsx_bytes, "加密的通知.pdf": encrypted_pdf_bytes,
         "截断的方案.docx": lambda: truncated(docx_bytes())}
EXPECTED = {"通知.pdf": (4, None), "压缩的通知.pdf": (9, None), "方案.docx": (1, None), "台账.xlsx": (None, None),
            "加密的通知.pdf": (None, "PDF 已加密，无法读取页数"),
            "截断的方案.docx": (None, "Word 文件已损坏，无法读取页数")}


@pytest.fixture
def mixed(archive, tmp_path) -> Path:
    root = tmp_path / "证明材料" / "1.1 领导小组"
    root.mkdir(parents=True)
    for name, make in MIXED.items():
        (root / name).write_bytes(make())
    link(archive, "1.1", [str(root)])
    return root


def pages_and_problems(archive) -> dict[str, tuple]:
    return {os.path.basename(path): (pages, problem) for path, pages, problem in
            archive.conn.execute("SELECT path, pages, problem FROM files")}


def test_a_scan_parses_fully_only_what_the_small_readers_doubt(archive, mixed, monkeypatch):
    parsed = []
    for function in ("_pdf_pages", "_docx_pages", "_office_problem"):
        real = getattr(filetypes, function)
        monkeypatch.setattr(filetypes, function, lambda path, *rest, real=real: (parsed.append(
            os.path.basename(path)), real(path, *rest))[1])
    result = scan(archive)
    assert sorted(parsed) == ["加密的通知.pdf", "截断的方案.docx"]
    assert pages_and_problems(archive) == EXPECTED
    assert result.added == 6 and not result.pending and not inspection.has_pending(archive)


def test_the_index_is_written_first_and_the_second_pass_waits_in_the_archive(archive, mixed):
    result = scan(archive, pages=False)
    assert result.pending and result.index_seconds <= result.seconds
    assert {name: row[0] for name, row in pages_and_problems(archive).items()} == dict.fromkeys(EXPECTED)
    assert sorted(os.path.basename(item[1]) for item in inspection.waiting(archive)) == sorted(EXPECTED)
    assert count_waiting(archive) == len(EXPECTED)
    assert pages_and_problems(archive) == EXPECTED and not inspection.has_pending(archive)
    assert count_waiting(archive) == 0


def test_a_cancelled_second_pass_writes_nothing_and_the_next_scan_finishes_it(archive, mixed):
    calls = []

    def cancel_in_the_second_pass() -> bool:
        calls.append(1)
        return archive.conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] > 0  # once the index is written

    with pytest.raises(Cancelled):
        scan(archive, cancel=cancel_in_the_second_pass)
    assert all(row[0] is None for row in pages_and_problems(archive).values()) and inspection.has_pending(archive)
    again = scan(archive)
    assert (again.added, again.modified) == (0, 0)
    assert pages_and_problems(archive) == EXPECTED and not inspection.has_pending(archive)


def test_a_result_for_content_that_changed_meanwhile_is_not_written(archive, mixed):
    scan(archive, pages=False)
    items = inspection.waiting(archive)  # read by a pass that is slow to finish
    (mixed / "通知.pdf").write_bytes(pdf_bytes(7))
    scan(archive, pages=False)  # the change is indexed meanwhile, and its file queued again
    inspection.run(archive, items)
    assert pages_and_problems(archive)["通知.pdf"] == (None, None) and inspection.has_pending(archive)
    count_waiting(archive)
    assert pages_and_problems(archive)["通知.pdf"] == (7, None) and not inspection.has_pending(archive)


def test_many_files_are_read_on_worker_processes_with_the_same_results(archive, mixed, monkeypatch):
    monkeypatch.setattr(inspection, "POOL_MIN", 2)
    monkeypatch.setattr(inspection, "BATCH", 2)
    started = []
    real = inspection.worker_pool
    monkeypatch.setattr(inspection, "worker_pool", lambda workers: started.append(workers) or real(workers))
    scan(archive)
    assert started and pages_and_problems(archive) == EXPECTED


def test_a_touched_file_keeps_its_problem_and_pages_without_a_second_pass(archive, mixed):
    scan(archive)
    target = mixed / "截断的方案.docx"
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # touched, not changed
    scan(archive, pages=False)
    assert pages_and_problems(archive) == EXPECTED and not inspection.has_pending(archive)


def test_a_zip_whose_central_directory_lies_is_left_to_zipfile(tmp_path):
    """A record whose name differs from its local header (a damaged or crafted file) is not judged here."""
    data = bytearray(docx_bytes())
    at = data.find(b"PK\x03\x04" + data[4:8])  # the first local header
    name_at = at + 30
    data[name_at] = ord("X")
    path = tmp_path / "改过的.docx"
    path.write_bytes(bytes(data))
    assert officezip.inspect(bytes(data), len(data), "docx") is None
    with zipfile.ZipFile(path) as archive, pytest.raises(zipfile.BadZipFile):  # zipfile refuses that member too
        archive.read(archive.infolist()[0])


def test_a_big_file_is_read_at_offsets_also_where_there_is_no_pread(tmp_path, monkeypatch):
    """Windows has no os.pread: the reader seeks on the file's own descriptor instead."""
    path = tmp_path / "大文件.pdf"
    path.write_bytes(big_pdf())
    assert filetypes.count_pages(str(path), "pdf") == (3, None)
    monkeypatch.delattr(os, "pread")
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, length: reads.append(length) or real_read(fd, length))
    assert filetypes.count_pages(str(path), "pdf") == (3, None)
    assert reads and max(reads) < filetypes.INSPECT_WHOLE  # windows of the file, never the whole of it
