"""Real files carrying metadata, written by the libraries clerks' software resembles: pypdf (info and XMP), python-docx
(core properties and a red-header document), Pillow (EXIF with GPS, orientation and Windows' XP tags); and an .ods
catalogue as LibreOffice types its cells."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from tests.foreign_corpus import ole_streams

RED_HEADER = ["000123", "秘密★1年", "特急", "某某县食品安全委员会办公室文件", "某食安办〔2024〕3号",
              "关于印发《某某县2024年食品安全", "重点工作安排》的通知", "各乡镇人民政府，县直各单位：",
              "现将《某某县2024年食品安全重点工作安排》印发给你们，请认真贯彻落实。",
              "某某县食品安全委员会办公室", "二〇二四年三月五日", "（此件公开发布）"]


def metadata_by_name(archive) -> dict[str, dict[str, str]]:
    """Every indexed file's fields (typed or read), by its file name."""
    from archive.metadata.store import metadata_for_files

    ids = dict(archive.conn.execute("SELECT path, id FROM files"))
    meta = metadata_for_files(archive, list(ids.values()))
    return {os.path.basename(path): meta[file_id] for path, file_id in ids.items()}


def values(found: dict) -> dict[str, str]:
    """extract()'s fields without where each came from: field -> value."""
    return {key: value for key, (value, _) in found.items()}


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


def docx_with_tables(path: Path, parts: list) -> Path:
    """A Word document of paragraphs (str), tables (a list of rows, each a list of cells' text) and page breaks
    (None), in that order, as python-docx writes them."""
    from docx import Document

    document = Document()
    for part in parts:
        if part is None:
            document.add_page_break()
        elif isinstance(part, str):
            document.add_paragraph(part)
        else:
            table = document.add_table(rows=len(part), cols=len(part[0]))
            for row, cells in zip(table.rows, part, strict=True):
                for cell, value in zip(row.cells, cells, strict=True):
                    cell.text = value
    document.save(str(path))
    return path


def docx_with_text_box(path: Path, box: str, paragraphs: list[str]) -> Path:
    """A Word document whose first paragraph anchors a text box holding `box` (the 红头's 发文机关标志, as many
    offices' templates place it), written as Word writes a text box: twice, a DrawingML shape for Word 2010 and
    later and a VML copy for older readers (mc:AlternateContent's Choice and Fallback)."""
    docx_with(path, ["@@BOX@@", *paragraphs])
    inner = (f'<w:txbxContent><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:color w:val="FF0000"/>'
             f'</w:rPr><w:t>{box}</w:t></w:r></w:p></w:txbxContent>')
    shape = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" '
             'distL="114300" distR="114300" simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" '
             'allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0'
             '</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset>'
             '</wp:positionV><wp:extent cx="5274310" cy="600000"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
             '<wp:wrapTopAndBottom/><wp:docPr id="1" name="文本框 1"/><wp:cNvGraphicFramePr/><a:graphic '
             'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData '
             'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr '
             'txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="5274310" cy="600000"/></a:xfrm>'
             '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
             f'<wps:txbx>{inner}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor>'
             '</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" '
             'o:spt="202" path="m,l,21600r21600,l21600,xe"/><v:shape id="文本框 1" o:spid="_x0000_s1026" '
             'type="#_x0000_t202" style="position:absolute;width:415.3pt;height:47.25pt"><v:textbox>'
             f'{inner}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    source, target = io.BytesIO(path.read_bytes()), io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            content = old.read(info)
            if info.filename == "word/document.xml":
                content = content.replace(b"<w:r><w:t>@@BOX@@</w:t></w:r>", shape.encode())
                assert b"@@BOX@@" not in content
            new.writestr(info, content)
    path.write_bytes(target.getvalue())
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
                   comment: str = "", maker_note: int = 0, noise: tuple[int, int] | None = None) -> Path:
    """A JPEG with EXIF as cameras and Windows Explorer write it: DateTimeOriginal ("2024:03:05 14:30:12"), GPS
    as degrees/minutes/seconds with N/S, E/W, orientation, XPSubject/XPAuthor/XPComment (UTF-16LE) and an
    ImageDescription in the bytes a Chinese program would put there (`description`); a phone's maker notes of
    `maker_note` bytes; a picture of `noise` size (width, height) that compresses as badly as a photo does."""
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
    if maker_note:
        exif.get_ifd(0x8769)[0x927C] = bytes(maker_note)
    picture = Image.effect_noise(noise, 60).convert("RGB") if noise else Image.new("RGB", (80, 60), "#4a8")
    with picture as image:
        image.save(path, "JPEG", exif=exif)
    return path


def word97(pieces: list[tuple[str, bool]], prc: bool = True, encrypted: bool = False, nfib: int = 0xC1) -> bytes:
    """A Word 97 binary document (.doc) whose main text is `pieces`: (text, stored as 8-bit) each, laid out as
    [MS-DOC] describes: the FIB, the text after it, the piece table (after a formatting Prc) in the 1Table stream."""
    text_at = 0x800
    stored, table_pieces, characters = b"", [], 0
    for text, eight_bit in pieces:
        offset = text_at + len(stored)
        stored += text.encode("cp1252") if eight_bit else text.encode("utf-16-le")
        fc = (offset * 2) | 0x40000000 if eight_bit else offset
        table_pieces.append((characters, characters + len(text), fc))
        characters += len(text)
    plc = struct.pack(f"<{len(pieces) + 1}i", *[first for first, _, _ in table_pieces], characters)
    plc += b"".join(struct.pack("<HIH", 0, fc, 0) for _, _, fc in table_pieces)
    clx = (b"\x01" + struct.pack("<h", 4) + b"\x00" * 4 if prc else b"") + b"\x02" + struct.pack("<I", len(plc)) + plc
    clx_at = 16
    table = b"\x00" * clx_at + clx
    flags = 0x0200 | (0x0100 if encrypted else 0)
    fib = bytearray(text_at)
    struct.pack_into("<HHHHH", fib, 0, 0xA5EC, nfib, 0, 0, 0)
    struct.pack_into("<H", fib, 0x0A, flags)
    struct.pack_into("<H", fib, 0x20, 14)  # csw
    struct.pack_into("<H", fib, 0x3E, 22)  # cslw
    struct.pack_into("<i", fib, 0x40 + 12, characters)  # ccpText
    struct.pack_into("<H", fib, 0x98, 93)  # cbRgFcLcb
    struct.pack_into("<II", fib, 0x9A + 33 * 8, clx_at, len(clx))  # fcClx, lcbClx
    return ole_streams({"WordDocument": bytes(fib) + stored, "1Table": table})


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


def ofd_file(path: Path, lines: list[str], title: str = "", author: str = "", per_glyph: bool = True,
             pages: int = 1) -> Path:
    """An OFD package (GB/T 33190) in the two shapes writers give it. per_glyph: as 公文 systems write it, the "ofd:"
    prefix, one TextObject per character placed by its Boundary (mm) and a scaling CTM, the TextCode's X/Y inside
    it; else as converters write it, a default namespace and one TextObject per line placed by its CTM alone.
    The objects are written in an order other than the reading order: a reader must place them."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"' if per_glyph else 'xmlns="http://www.ofdspec.org/2016"'
    p = "ofd:" if per_glyph else ""
    info = "".join(f"<{p}{name}>{escape(value)}</{p}{name}>" for name, value in (("Title", title), ("Author", author))
                   if value)
    root = (f'<?xml version="1.0" encoding="UTF-8"?><{p}OFD {ns} Version="1.1" DocType="OFD"><{p}DocBody>'
            f"<{p}DocInfo><{p}DocID>0f1e</{p}DocID>{info}<{p}CreationDate>2026-01-02</{p}CreationDate></{p}DocInfo>"
            f"<{p}DocRoot>Doc_0/Document.xml</{p}DocRoot></{p}DocBody></{p}OFD>")
    page_list = "".join(f'<{p}Page ID="{n + 10}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(pages))
    document = (f'<?xml version="1.0" encoding="UTF-8"?><{p}Document {ns}><{p}CommonData><{p}PageArea>'
                f"<{p}PhysicalBox>0 0 210 297</{p}PhysicalBox></{p}PageArea></{p}CommonData>"
                f"<{p}Pages>{page_list}</{p}Pages></{p}Document>")
    objects = []
    for row, line in enumerate(lines):
        top = 30 + row * 8.5
        if per_glyph:
            for column, char in enumerate(line):
                objects.append(f'<{p}TextObject ID="{len(objects) + 100}" Boundary="{31.75 + column * 5.5:.4f} '
                               f'{top:.4f} 5.2 5.2" Size="104" CTM="0.05 0 0 0.05 0 0" Font="3">'
                               f'<{p}FillColor Value="0 0 0"/><{p}TextCode X="0" Y="88.4">{escape(char)}'
                               f"</{p}TextCode></{p}TextObject>")
        else:
            objects.append(f'<{p}TextObject ID="{row + 1}" CTM="1 0 0 1 31.7 {top:.1f}" Size="4.2" Font="3">'
                           f"<{p}TextCode>{escape(line)}</{p}TextCode></{p}TextObject>")
    objects.reverse()  # bottom first
    content = (f'<?xml version="1.0" encoding="UTF-8"?><{p}Page {ns}><{p}Content><{p}Layer ID="2">'
               f"{''.join(objects)}</{p}Layer></{p}Content></{p}Page>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("OFD.xml", root)
        package.writestr("Doc_0/Document.xml", document)
        for n in range(pages):
            package.writestr(f"Doc_0/Pages/Page_{n}/Content.xml", content)
    path.write_bytes(buffer.getvalue())
    return path


def libreoffice_saved(tmp_path: Path, sources: list[Path], fmt: str) -> list[Path]:
    """Each of `sources` as LibreOffice saves it in `fmt` (a writer other than ours), in a profile of its own; skips
    the test where LibreOffice is not installed or did not convert."""
    import os
    import shutil
    import signal
    import subprocess

    import pytest

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    # a session of its own: on a timeout the whole group goes (soffice is a script; soffice.bin stayed behind)
    process = subprocess.Popen(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                                "--convert-to", fmt, "--outdir", str(tmp_path / "out"), *map(str, sources)],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=hasattr(os, "killpg"))
    try:
        process.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.communicate()
        pytest.skip("LibreOffice did not convert within 180 s")
    converted = [tmp_path / "out" / f"{source.stem}.{fmt}" for source in sources]
    if not all(path.is_file() for path in converted):
        pytest.skip("LibreOffice did not convert")
    return converted


def heic_with_exif(path: Path, taken: str = "", latitude: tuple | None = None, longitude: tuple | None = None,
                   orientation: int = 0, author: str = "") -> Path:
    """A HEIC photo as phones save them, encoded by libheif (through pillow-heif, without registering it with
    Pillow: the app's Pillow cannot open HEIC, nor may the tests'), its EXIF as cameras write it."""
    import pillow_heif
    from PIL import Image
    from PIL.TiffImagePlugin import IFDRational

    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if author:
        exif[0x9C9D] = author.encode("utf-16-le") + b"\0\0"  # XPAuthor, as Windows Explorer writes it
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    if latitude and longitude:
        gps = exif.get_ifd(0x8825)
        gps[1], gps[3] = "N", "E"
        gps[2], gps[4] = ([IFDRational(round(part * 100), 100) for part in value] for value in (latitude, longitude))
    picture = pillow_heif.from_pillow(Image.new("RGB", (64, 48), (40, 120, 160)))
    picture.save(str(path), quality=50, exif=exif.tobytes() if len(exif) or taken else None)
    return path


def heif_by_hand(exif_block: bytes, in_idat: bool) -> bytes:
    """A HEIF file laid out by hand (ISO/IEC 14496-12 and 23008-12) in the shapes libheif does not write: iinf
    version 1 with an infe version 3 entry, iloc version 1 naming the Exif item's construction method, its bytes
    in the meta box's idat (method 1) or after the meta box (method 0, at a base offset). No picture at all."""
    def box(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I4s", 8 + len(body), kind) + body

    payload = struct.pack(">I", 6) + exif_block  # the offset of the TIFF header after "Exif\0\0"
    infe = box(b"infe", bytes([3, 0, 0, 0]) + struct.pack(">IH4s", 7, 0, b"Exif") + b"\0")
    iinf = box(b"iinf", bytes([1, 0, 0, 0]) + struct.pack(">I", 1) + infe)

    def meta(base: int) -> bytes:
        method = 1 if in_idat else 0
        iloc = box(b"iloc", bytes([1, 0, 0, 0, 0x44, 0x40]) + struct.pack(">HHHHIHII", 1, 7, method, 0, base, 1, 0,
                                                                           len(payload)))
        idat = box(b"idat", payload) if in_idat else b""
        return box(b"meta", bytes(4) + box(b"hdlr", bytes(8) + b"pict" + bytes(13)) + iinf + iloc + idat)

    ftyp = box(b"ftyp", b"heic" + bytes(4) + b"mif1heic")
    if in_idat:
        return ftyp + meta(0)
    head = len(ftyp) + len(meta(0))  # the meta box's size does not depend on the base offset
    return ftyp + meta(head + 8) + box(b"mdat", payload)
