"""Helpers for the export tests: a linked and scanned evidence tree with every case the dossier must show,
and readers that parse the results back (PDF text and outline with pypdf)."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from archive.confirm import confirm
from archive.index.scan import scan
from archive.links import link
from exporters import ExportOptions

STAMP = "2024-05-01 10:00:00"
ATTACHMENT_TEXT = "附件正文第{}页"


def options(**kwargs) -> ExportOptions:
    return ExportOptions(generated=STAMP, stage="自查自评", compiler="某某县食安办", **kwargs)


def cjk_pdf(pages: int, text: str = ATTACHMENT_TEXT) -> bytes:
    """A PDF whose pages carry Chinese text in an embedded font, so tests can find it in the dossier."""
    from reportlab.pdfgen import canvas

    from exporters.fonts import find_fonts

    font = find_fonts().song
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1, initialFontName=font)
    for number in range(1, pages + 1):
        pdf.setFont(font, 20)
        pdf.drawString(72, 700, text.format(number))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def jpeg(path: Path, size=(600, 400), color="skyblue", orientation: int | None = None) -> Path:
    from PIL import Image

    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    image.save(path, "JPEG", exif=exif.tobytes())
    return path


def populate(archive, evidence: Path) -> Path:
    """Add an attachment with text, a corrupt PDF and a photo to the conftest tree; link, scan, confirm 1.1.

    2.2 stays without evidence (a gap). Returns the evidence root."""
    (evidence / "1.1 领导小组" / "附件正文.pdf").write_bytes(cjk_pdf(3))
    (evidence / "1.2 工作方案" / "损坏的通知.pdf").write_bytes(b"%PDF-1.4\n this is not a pdf")
    jpeg(evidence / "1.2 工作方案" / "现场照片.jpg")
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    link(archive, "1.2", [str(evidence / "1.2 工作方案")])
    link(archive, "2.1", [str(evidence / "2.1 农残治理")])
    link(archive, "2.1.1", [str(evidence / "2.1 农残治理" / "1. 快检台账")])
    scan(archive)
    confirm(archive, "1.1", by="张三", note="材料齐全")
    return evidence


def page_texts(path) -> list[str]:
    reader = PdfReader(str(path))
    return [page.extract_text() or "" for page in reader.pages]


def outline(path) -> list:
    """Nested [(title, page number from 1, [children])] of the PDF's bookmarks."""
    reader = PdfReader(str(path))

    def walk(items) -> list:
        result = []
        for item in items:
            if isinstance(item, list):
                result[-1][2].extend(walk(item))
            else:
                result.append((item.title, reader.get_destination_page_number(item) + 1, []))
        return result

    return walk(reader.outline)


def flat_outline(path) -> dict[str, tuple[int, int]]:
    """title -> (depth from 0, page)."""
    found: dict[str, tuple[int, int]] = {}

    def walk(items, depth: int) -> None:
        for title, page, children in items:
            found[title] = (depth, page)
            walk(children, depth + 1)

    walk(outline(path), 0)
    return found


def catalogue_remarks(path) -> dict[str, str]:
    """题名 -> 备注 of every criterion's 佐证材料目录 in a Word dossier, read back with python-docx."""
    import docx

    remarks = {}
    for table in docx.Document(str(path)).tables:
        header = [cell.text for cell in table.rows[0].cells]
        if header[:2] == ["序号", "档号"] and header[-1] == "备注":
            title = header.index("题名")
            for row in table.rows[1:]:
                cells = [cell.text for cell in row.cells]
                remarks[cells[title]] = cells[-1]
    return remarks


def docx_fields(path, part: str = "word/document.xml") -> list[tuple[str, str]]:
    """(instruction, cached result) of every complex field in one part of a Word file (the body by default): what
    Word and WPS show before anyone updates fields. The parsing is the page bench's (bench/docx_pages_bench.py)."""
    import zipfile

    from lxml import etree

    from bench.docx_pages_bench import field_results

    return field_results(etree.fromstring(zipfile.ZipFile(path).read(part)))


def toc_pages(path) -> dict[str, str]:
    """Word 目录: entry text -> the page number it shows (the PAGEREF's cached result)."""
    import docx

    document = docx.Document(str(path))
    entries = [p.text.split("\t")[0] for p in document.paragraphs if p.style.name.startswith("toc ")]
    numbers = [result for instruction, result in docx_fields(path) if instruction.startswith("PAGEREF _Toc")]
    return dict(zip(entries, numbers, strict=True))


def file_warnings(result) -> list[str]:
    """An export's warnings about files, without the font substitutions this machine's fonts may add."""
    return [warning for warning in result.warnings if not warning.startswith("PDF 字体：")]
