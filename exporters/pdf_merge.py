"""Put attachment pages onto their placeholder pages and write the final PDF, streaming.

Each attached page becomes a form XObject (its own resources, clipped to its crop box) drawn scaled and, if the
source page says /Rotate, turned upright, inside the placeholder's attachment area; the placeholder already carries
the dossier's header, footer and caption, so page numbers run through the whole dossier. Bookmarks, links and page
labels of the laid-out dossier are kept: its pages keep their identity, only their content grows.
"""

from __future__ import annotations

import hashlib
import logging
import os
import zlib
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from common.progress import ProgressReporter
from exporters.pdf_annotations import annotation_layer
from exporters.pdf_stream import Space, StreamingPdf
from exporters.pdf_styles import CAPTION_STRIP, frame_box

logging.getLogger("pypdf").setLevel(logging.ERROR)
FORM_NAME = "/RRAttachment"
LAYER_NAME = "/RRAnnotations"
IDENTITY_BYTES = 1 << 16
READ_ERRORS = (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
               zlib.error, OSError)


class AttachmentError(Exception):
    """An attachment cannot be read; the message (Chinese) goes into the dossier and the export report."""


@dataclass(frozen=True)
class PageGeometry:
    box: tuple[float, float, float, float]  # crop box
    rotation: int  # 0, 90, 180, 270

    @property
    def display_size(self) -> tuple[float, float]:
        width, height = self.box[2] - self.box[0], self.box[3] - self.box[1]
        return (height, width) if self.rotation in (90, 270) else (width, height)

    @property
    def landscape(self) -> bool:
        width, height = self.display_size
        return width > height * 1.05


def open_reader(handle) -> PdfReader:
    reader = PdfReader(handle, strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise AttachmentError("PDF 已加密，无法附入")
    return reader


def read_geometry(path: str) -> list[PageGeometry]:
    """Page boxes and rotations of a PDF, read through a file handle; AttachmentError if it cannot be read."""
    try:
        with open(path, "rb") as handle:
            reader = open_reader(handle)
            pages = [_geometry(page) for page in reader.pages]
    except AttachmentError:
        raise
    except OSError as exc:
        raise AttachmentError(f"无法读取（{exc.strerror or exc}）") from exc
    except READ_ERRORS as exc:
        raise AttachmentError("PDF 文件已损坏，无法附入") from exc
    except Exception as exc:  # a parser bug on one clerk's file must not stop the export
        raise AttachmentError("PDF 文件已损坏，无法附入") from exc
    if not pages:
        raise AttachmentError("PDF 没有页面")
    return pages


def _geometry(page) -> PageGeometry:
    box = page.cropbox
    values = (float(box.left), float(box.bottom), float(box.right), float(box.top))
    if values[2] - values[0] < 1 or values[3] - values[1] < 1:
        raise ValueError("empty page box")
    return PageGeometry(values, int(page.get("/Rotate", 0) or 0) % 360)


def attachment_area(pagesize: tuple[float, float]) -> tuple[float, float, float, float]:
    """(x, y, width, height) where an attached page is drawn: the type area below its caption, so nothing of it
    reaches into the margins a binder punches and trims."""
    x, y, width, height = frame_box(pagesize)
    return x, y, width, height - CAPTION_STRIP


def placement_matrix(geometry: PageGeometry, area) -> tuple[float, ...]:
    """Form space -> page space: undo the crop box offset, apply /Rotate (clockwise), scale to fit, centre on top."""
    x0, y0, x1, y1 = geometry.box
    width, height = x1 - x0, y1 - y0
    a, b, c, d, e, f = {
        0: (1, 0, 0, 1, -x0, -y0),
        90: (0, -1, 1, 0, -y0, width + x0),
        180: (-1, 0, 0, -1, width + x0, height + y0),
        270: (0, 1, -1, 0, height + y0, -x0),
    }.get(geometry.rotation, (1, 0, 0, 1, -x0, -y0))
    shown_w, shown_h = geometry.display_size
    ax, ay, aw, ah = area
    scale = min(aw / shown_w, ah / shown_h, 1.0)
    tx = ax + (aw - scale * shown_w) / 2
    ty = ay + ah - scale * shown_h
    return (scale * a, scale * b, scale * c, scale * d, scale * e + tx, scale * f + ty)


class _Source:
    """One attachment open for copying; its number map dies with it, which bounds memory."""

    def __init__(self, index: int, path: str):
        self.index = index
        self.handle = open(path, "rb")  # noqa: SIM115 - closed by close(), kept open across pages
        self.space = Space(open_reader(self.handle))

    def close(self) -> None:
        self.handle.close()


def merge(body_path: str, target: str, placements: list[tuple[int, int, int]], sources: list[str],
          job: ProgressReporter, start: float = 0.5, span: float = 0.5) -> dict[int, str]:
    """Write `target` = the laid-out body with attachment pages drawn on their placeholders. Returns
    {attachment index: why} for attachments that could not be opened or had a page that could not be copied:
    those placeholders stay blank."""
    by_page = {page - 1: (attachment, index) for page, attachment, index in placements}
    failed: dict[int, str] = {}
    with open(body_path, "rb") as body_handle, open(target, "wb") as out:
        body = PdfReader(body_handle, strict=False)
        pdf = StreamingPdf(out, identity(body_path, sources, placements))
        space = Space(body)
        pages_root = pdf.reserve()
        numbers = []
        for page in body.pages:
            ref = page.indirect_reference
            numbers.append(pdf.reserve())
            space.numbers[(ref.generation, ref.idnum)] = numbers[-1]
        source: _Source | None = None
        total = len(numbers)
        try:
            for index, page in enumerate(body.pages):
                job.check()
                job.tick(lambda i=index: start + span * i / total, lambda i=index: f"正在合并附件页面 {i}/{total}")
                form = None
                if index in by_page and by_page[index][0] not in failed:  # a failed attachment stays blank
                    attachment, page_index = by_page[index]
                    source = _switch(source, attachment, sources, failed)
                    form = _form_or_failure(pdf, source, page_index, failed)
                _write_page(pdf, page, numbers[index], pages_root, space, form)
                body.resolved_objects.clear()  # copied objects are on disk now; the reader need not keep them
        finally:
            if source is not None:
                source.close()
        pdf.write(pages_root, DictionaryObject({
            NameObject("/Type"): NameObject("/Pages"), NameObject("/Count"): NumberObject(total),
            NameObject("/Kids"): ArrayObject(pdf.ref(n) for n in numbers)}))
        root = _write_catalog(pdf, body, space, pages_root)
        info = body.trailer.get("/Info")
        pdf.finish(root, pdf.copy(info, space) if info is not None else None)
    return failed


def identity(body_path: str, sources: list[str], placements) -> bytes:
    """The inputs of the merged file: the laid-out body (a few MB) whole, and per attachment its size and its first
    and last 64 KB (a PDF's header, and its cross-reference section and trailer with its own /ID)."""
    digest = hashlib.md5(usedforsecurity=False)
    with open(body_path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    digest.update(repr(placements).encode())
    for path in sources:
        try:
            with open(path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                digest.update(f"|{size}|".encode() + handle.read(IDENTITY_BYTES))
                handle.seek(max(0, size - IDENTITY_BYTES))
                digest.update(handle.read(IDENTITY_BYTES))
        except OSError:
            digest.update(b"|unreadable|")  # it stays blank, and says so
    return digest.digest()


def _switch(source: _Source | None, attachment: int, sources: list[str], failed: dict[int, str]) -> _Source | None:
    if source is not None and source.index == attachment:
        return source
    if source is not None:
        source.close()
    if attachment in failed:
        return None
    try:
        return _Source(attachment, sources[attachment])
    except Exception:  # read before the layout, unreadable now: changed on disk, or a parser bug
        failed[attachment] = "PDF 文件无法读取，未附入"
        return None


def _form_or_failure(pdf: StreamingPdf, source: _Source | None, page_index: int, failed: dict[int, str]):
    if source is None:
        return None
    try:
        return _attachment_form(pdf, source, page_index)
    except Exception:  # a damaged page: this attachment's placeholders stay blank, the export goes on
        source.space.pending.clear()  # half-copied objects: left unwritten (free in the xref), never retried
        failed[source.index] = f"PDF 第 {page_index + 1} 页无法复制，未附入"
        return None


def _attachment_form(pdf: StreamingPdf, source: _Source, page_index: int):
    page = source.space.reader.pages[page_index]
    geometry = _geometry(page)
    form = _content_stream(page)
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(v) for v in geometry.box)
    resources = page.get("/Resources")
    form[NameObject("/Resources")] = pdf.copy(resources.get_object(), source.space) if resources else DictionaryObject()
    if "/Group" in page:
        form[NameObject("/Group")] = pdf.copy(page["/Group"], source.space)
    form_ref = pdf.add(form)
    try:
        layer = annotation_layer(pdf, source.space, page, geometry.box)
    except Exception:  # a damaged annotation: the page's content is still attached, as it was before
        source.space.pending.clear()
        layer = None
    return form_ref, geometry, layer


def _content_stream(page) -> StreamObject:
    """The page's content as one stream: a single stream is reused as is (still encoded), an array is joined."""
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    form = DecodedStreamObject()
    if isinstance(contents, StreamObject):
        form._data = contents._data  # raw bytes; the filter entries below still describe them
        for key in ("/Filter", "/DecodeParms"):
            if key in contents:
                form[NameObject(key)] = contents[key].get_object()
        return form
    parts = [item.get_object().get_data() for item in contents] if isinstance(contents, ArrayObject) else []
    form._data = zlib.compress(b"\n".join(parts))
    form[NameObject("/Filter")] = NameObject("/FlateDecode")
    return form


def _write_page(pdf: StreamingPdf, page, number: int, pages_root: int, space: Space, form) -> None:
    copied = DictionaryObject()
    for key, value in page.items():
        if key != "/Parent":
            copied[NameObject(key)] = pdf.copy(value, space)
    copied[NameObject("/Parent")] = pdf.ref(pages_root)
    if form is not None:
        _add_form(pdf, page, copied, space, *form)
    pdf.write(number, copied)


def _add_form(pdf: StreamingPdf, page, copied: DictionaryObject, space: Space, form_ref, geometry,
              layer=None) -> None:
    """Draw the attached page's form (and `layer`, its annotations' appearances: exporters.pdf_annotations) into
    the placeholder's attachment area, framed."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else DictionaryObject()
    own = pdf.copy(resources, space)  # a page-own copy: the shared resources of other pages stay untouched
    source_xobjects = resources.get("/XObject")
    if isinstance(source_xobjects, IndirectObject):
        xobjects = pdf.copy(source_xobjects.get_object(), space)
    else:
        xobjects = own.get("/XObject", DictionaryObject())
    xobjects[NameObject(FORM_NAME)] = form_ref
    if layer is not None:
        xobjects[NameObject(LAYER_NAME)] = layer
    own[NameObject("/XObject")] = xobjects
    copied[NameObject("/Resources")] = own
    box = page.mediabox
    area = attachment_area((float(box.width), float(box.height)))
    matrix = " ".join(f"{v:.4f}" for v in placement_matrix(geometry, area))
    width, height = geometry.display_size
    scale = min(area[2] / width, area[3] / height, 1.0)
    left = area[0] + (area[2] - scale * width) / 2
    bottom = area[1] + area[3] - scale * height
    shown = f"{FORM_NAME} Do" + (f" {LAYER_NAME} Do" if layer is not None else "")
    drawing = (f"q {matrix} cm {shown} Q\nq 0.6 G 0.4 w {left:.2f} {bottom:.2f} {scale * width:.2f} "
               f"{scale * height:.2f} re S Q\n").encode()
    contents = copied.get("/Contents")
    parts = list(contents) if isinstance(contents, ArrayObject) else ([contents] if contents is not None else [])
    copied[NameObject("/Contents")] = ArrayObject([*parts, pdf.stream(drawing)])


def _write_catalog(pdf: StreamingPdf, body: PdfReader, space: Space, pages_root: int):
    catalog = body.trailer["/Root"].get_object()
    copied = DictionaryObject()
    for key in ("/Outlines", "/Names", "/Dests", "/ViewerPreferences", "/PageLabels", "/Lang"):
        if key in catalog:
            copied[NameObject(key)] = pdf.copy(catalog[key], space)
    copied[NameObject("/Type")] = NameObject("/Catalog")
    copied[NameObject("/Pages")] = pdf.ref(pages_root)
    copied[NameObject("/PageMode")] = NameObject("/UseOutlines")
    return pdf.add(copied)
