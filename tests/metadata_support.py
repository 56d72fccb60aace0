"""Real files carrying metadata, written by the libraries clerks' software resembles: pypdf (info and XMP), python-docx
(core properties and a red-header document), Pillow (EXIF with GPS, orientation and Windows' XP tags); and an .ods
catalogue as LibreOffice types its cells."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

RED_HEADER = ["000123", "秘密★1年", "特急", "某某县食品安全委员会办公室文件", "某食安办〔2024〕3号",
              "关于印发《某某县2024年食品安全", "重点工作安排》的通知", "各乡镇人民政府，县直各单位：",
              "现将《某某县2024年食品安全重点工作安排》印发给你们，请认真贯彻落实。",
              "某某县食品安全委员会办公室", "二〇二四年三月五日", "（此件公开发布）"]


def pdf_with_info(path: Path, title: str = "", author: str = "", pages: int = 1, xmp_title: str = "",
                  xmp_creator: str = "", owner_password: str = "") -> Path:
    from pypdf import PdfWriter
    from pypdf.xmp import XmpInformation

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    info = {key: value for key, value in (("/Title", title), ("/Author", author)) if value}
    if info:
        writer.add_metadata(info)
    if xmp_title or xmp_creator:
        xmp = XmpInformation.create()
        if xmp_title:
            xmp.dc_title = {"x-default": xmp_title}
        if xmp_creator:
            xmp.dc_creator = [xmp_creator]
        writer.xmp_metadata = xmp
    if owner_password:
        writer.encrypt("", owner_password)  # opens without a password, like most "protected" PDFs
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def pdf_with_object_streams(path: Path, title: str, author: str) -> Path:
    """The info dictionary inside a compressed object stream (as Acrobat's "optimize" writes it), by pikepdf."""
    import pikepdf

    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        info = pdf.make_indirect(pikepdf.Dictionary(Title=pikepdf.String(title), Author=pikepdf.String(author)))
        pdf.trailer.Info = info
        pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return path


def docx_with(path: Path, paragraphs: list[str], title: str = "", author: str = "", company: str = "") -> Path:
    """A Word document with the given paragraphs and core properties; `company` goes into docProps/app.xml,
    where Word keeps it (python-docx does not write it, so it is put in afterwards)."""
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.core_properties.title = title
    document.core_properties.author = author
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    if company:
        data = _with_company(data, company)
    path.write_bytes(data)
    return path


def _with_company(data: bytes, company: str) -> bytes:
    source, target = io.BytesIO(data), io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            content = old.read(info)
            if info.filename == "docProps/app.xml":
                content = content.replace(b"</Properties>", f"<Company>{company}</Company></Properties>".encode())
            new.writestr(info, content)
    return target.getvalue()


def jpeg_with_exif(path: Path, taken: str = "", latitude: tuple | None = None, longitude: tuple | None = None,
                   orientation: int = 0, subject: str = "", author: str = "", description: bytes = b"",
                   comment: str = "") -> Path:
    """A JPEG with EXIF as cameras and Windows Explorer write it: DateTimeOriginal ("2024:03:05 14:30:12"), GPS
    as degrees/minutes/seconds with N/S, E/W, orientation, XPSubject/XPAuthor/XPComment (UTF-16LE) and an
    ImageDescription in the bytes a Chinese program would put there (`description`)."""
    from PIL import Image

    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if description:
        exif[0x010E] = description
    for tag, text in ((0x9C9F, subject), (0x9C9D, author), (0x9C9C, comment)):
        if text:
            exif[tag] = text.encode("utf-16-le")
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    if latitude and longitude:
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2] = ("N" if latitude[0] >= 0 else "S"), tuple(abs(v) for v in latitude)
        gps[3], gps[4] = ("E" if longitude[0] >= 0 else "W"), tuple(abs(v) for v in longitude)
    with Image.new("RGB", (80, 60), "#4a8") as image:
        image.save(path, "JPEG", exif=exif)
    return path


ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"


def write_ods(path: Path, rows: list[list], sheet: str = "文件目录") -> None:
    """The least an .ods holds (mimetype, manifest, content.xml), with typed cells as LibreOffice writes them."""
    def cell(value) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, datetime):
            return (f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        if isinstance(value, int | float):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'

    body = "".join(f"<table:table-row>{''.join(cell(v) for v in row)}</table:table-row>" for row in rows)
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/"'
                f' manifest:media-type="{ODS_TYPE}"/><manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_TYPE)  # first and stored, as the format asks
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} '
                                        f'office:version="1.2"><office:body><office:spreadsheet><table:table '
                                        f'table:name="{escape(sheet)}">{body}</table:table></office:spreadsheet></office:body>'
                                        "</office:document-content>")
