"""Files the project did not make itself, made for real at test time: what phones, scanners and office suites
leave in a clerk's evidence folders, sound or broken.

    samples("png")        -> [Sample(name, data, why, where), ...]
    KINDS                 the file kinds, one parametrized test each (tests/test_foreign_files.py)

`why` is None for a file every export must include, else a word its 备注 must show; `where` says which outputs
know the problem: "scan" (every output lists it), "image" (the Word and PDF dossiers, which embed images) or "pdf"
(only the PDF dossier, which attaches documents). Producers: Pillow (JPEG, PNG, GIF, TIFF, WebP, BMP, APNG),
hand-written PNG and OLE encoders (16-bit, interlaced; .doc/.xls/.wps/.et containers), reportlab, pypdf and
pikepdf/qpdf (linearized, object streams, incremental updates, encryption, forms), python-docx and openpyxl,
and LibreOffice where it is installed. Nothing here reads the network or a committed binary.
"""

from __future__ import annotations

import io
import random
import shutil
import struct
import subprocess
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

KINDS = ("jpeg", "png", "gif", "tiff", "webp", "bmp", "heic", "pdf", "office")
SLOW_KINDS = ("pdf_1000_pages",)


@dataclass(frozen=True)
class Sample:
    name: str
    data: bytes
    why: str | None = None  # a word the file's 备注 must show; None: the file must be included
    where: str = "image"  # "scan" | "image" | "pdf": which outputs know the problem

    @property
    def title(self) -> str:
        return self.name.rpartition(".")[0]


def samples(kind: str) -> list[Sample]:
    return BUILDERS[kind]()


# --- images ------------------------------------------------------------------------------------------------------

def _photo(size=(320, 240), mode="RGB") -> Image.Image:
    """Not a flat colour: a gradient with noise, so the compressed stream is long enough to break in the middle.
    The noise is the same every time (Image.effect_noise draws on C's rand(), whose state the tests run before in
    the same process moved: the broken PNG's broken stream then sometimes decoded after all)."""
    gradient = Image.linear_gradient("L").resize(size)
    noise = Image.frombytes("L", size, random.Random(size[0] * size[1]).randbytes(size[0] * size[1]))
    image = Image.merge("RGB", (gradient, noise, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    return image.convert(mode) if mode != "RGB" else image


def _save(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _exif(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


def _jpegs() -> list[Sample]:
    plain = _save(_photo(), "JPEG", quality=90)
    return [
        Sample("CMYK印刷稿.jpg", _save(_photo(mode="CMYK"), "JPEG")),  # Adobe APP14: python-docx refuses it
        Sample("渐进式.jpg", _save(_photo(), "JPEG", progressive=True)),
        Sample("手机竖拍.jpg", _save(_photo((320, 200)), "JPEG", exif=_exif(6))),
        Sample("灰度扫描.jpg", _save(_photo(mode="L"), "JPEG")),
        Sample("无JFIF头.jpg", b"\xff\xd8" + plain[20:]),  # starts with a quantisation table, as some cameras do
        Sample("EXIF损坏.jpg", b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00garbage!" + plain[2:]),
        Sample("截断的照片.jpg", plain[: len(plain) // 2], "不完整", "scan"),  # the scan knows it (picture_end)
    ]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_raw(width: int, height: int, depth: int, color: int, pixel: bytes, interlace: bool = False) -> bytes:
    """A PNG written by hand: Pillow cannot write 16-bit RGB or Adam7-interlaced PNGs."""
    passes = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
    raw = b""
    for x0, y0, dx, dy in passes if interlace else ((0, 0, 1, 1),):
        columns = len(range(x0, width, dx))
        for _ in range(y0, height, dy):
            raw += b"\x00" + pixel * columns if columns else b""
    header = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, int(interlace))
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw))
            + _chunk(b"IEND", b""))


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, position = [], 8
    while position < len(data):
        length = struct.unpack(">I", data[position:position + 4])[0]
        chunks.append((data[position + 4:position + 8], data[position + 8:position + 8 + length]))
        position += 12 + length
    return chunks


def _rebuild(chunks: list[tuple[bytes, bytes]]) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"".join(_chunk(kind, data) for kind, data in chunks)


def _pngs() -> list[Sample]:
    frames = [_photo((120, 90)), _photo((120, 90)).rotate(180), _photo((120, 90)).convert("L").convert("RGB")]
    apng = _save(frames[0], "PNG", save_all=True, append_images=frames[1:], duration=200)
    bad_apng = _rebuild([(kind, data[:4] + struct.pack(">II", 5000, 5000) + data[12:] if kind == b"fcTL" else data)
                         for kind, data in _png_chunks(apng)])  # frames larger than the canvas
    palette = _photo((160, 120)).convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
    plain = _save(_photo(), "PNG")
    broken = bytearray(plain)
    start = broken.find(b"IDAT") + 4 + 200
    broken[start:start + 64] = bytes(b ^ 0x5A for b in broken[start:start + 64])
    broken = _rebuild(_png_chunks(bytes(broken)))  # CRCs made right again: only the data stream is broken
    bad_crc = bytearray(plain)
    bad_crc[bad_crc.find(b"IDAT") + 10] ^= 0xFF
    return [
        Sample("16位彩色.png", png_raw(200, 150, 16, 2, b"\x80\x00\x40\x00\xf0\x00")),
        Sample("16位灰度.png", _save(Image.new("I;16", (200, 150), 40000), "PNG")),
        Sample("透明调色板.png", _save(palette, "PNG", transparency=0)),
        Sample("隔行扫描.png", png_raw(97, 61, 8, 2, b"\x20\x90\xd0", interlace=True)),
        Sample("动画.png", apng),
        Sample("半透明.png", _save(_photo().convert("RGBA"), "PNG")),
        Sample("损坏的动画.png", bad_apng, "损坏"),
        Sample("数据流损坏.png", broken, "损坏"),
        Sample("校验和错误.png", bytes(bad_crc), "损坏"),
    ]


def _gifs() -> list[Sample]:
    frames = [_photo((100, 80)).convert("P"), _photo((100, 80)).rotate(90).convert("P")]
    still = _save(frames[0], "GIF")
    return [
        Sample("静态.gif", still),
        Sample("动图.gif", _save(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)),
        Sample("透明.gif", _save(frames[0], "GIF", transparency=0)),
        Sample("截断.gif", still[: len(still) // 2], "损坏"),
    ]


def _tiffs() -> list[Sample]:
    pages = [_photo((200, 150)), _photo((150, 200))]
    return [
        Sample("多页扫描.tif", _save(pages[0], "TIFF", save_all=True, append_images=pages[1:], compression="tiff_lzw")),
        Sample("LZW压缩.tif", _save(_photo(), "TIFF", compression="tiff_lzw")),
        Sample("CMYK.tif", _save(_photo(mode="CMYK"), "TIFF")),
        Sample("16位灰度.tif", _save(Image.new("I;16", (120, 90), 30000), "TIFF")),
        Sample("黑白传真.tif", _save(_photo().convert("1"), "TIFF", compression="group4")),
        Sample("截断.tif", _save(_photo(), "TIFF")[:3000], "损坏"),
    ]


def _webps() -> list[Sample]:
    frames = [_photo((120, 90)), _photo((120, 90)).rotate(180)]
    return [
        Sample("有损.webp", _save(_photo(), "WEBP", quality=70)),
        Sample("无损透明.webp", _save(_photo().convert("RGBA"), "WEBP", lossless=True)),
        Sample("动画.webp", _save(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100)),
    ]


def _bmps() -> list[Sample]:
    return [
        Sample("24位.bmp", _save(_photo(), "BMP")),
        Sample("8位调色板.bmp", _save(_photo().convert("P"), "BMP")),
        Sample("单色.bmp", _save(_photo().convert("1"), "BMP")),
        Sample("截断.bmp", _save(_photo(), "BMP")[:2000], "损坏"),
    ]


def _heics() -> list[Sample]:
    """No HEIC encoder here: an ISO box header with a HEIF brand, as an iPhone writes it, then junk."""
    def box(brand: bytes) -> bytes:
        return struct.pack(">I", 24) + b"ftyp" + brand + b"\x00\x00\x00\x00mif1" + brand + b"\x00" * 2000
    return [Sample("iPhone照片.heic", box(b"heic"), "HEIC"), Sample("相机照片.heif", box(b"mif1"), "HEIC")]


# --- PDF ---------------------------------------------------------------------------------------------------------

def reportlab_pdf(pages: list[tuple[float, float]], text: str = "Page", rotate: dict | None = None) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    for number, size in enumerate(pages, start=1):
        pdf.setPageSize(size)
        pdf.setPageRotation((rotate or {}).get(number, 0))
        pdf.drawString(50, 50, f"{text} {number}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


A4, A4_LANDSCAPE, A3, LETTER = (595, 842), (842, 595), (842, 1191), (612, 792)


def _pikepdf(data: bytes, **options) -> bytes:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        buffer = io.BytesIO()
        pdf.save(buffer, **options)
    return buffer.getvalue()


def _object_streams():
    import pikepdf

    return pikepdf.ObjectStreamMode.generate


def _encrypted(data: bytes, user: str, algorithm: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password="owner", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _incremental(data: bytes) -> bytes:
    """An update appended to the original bytes (a signed or annotated PDF): a second xref and trailer."""
    from pypdf import PdfWriter

    writer = PdfWriter(io.BytesIO(data), incremental=True)
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": "增量更新"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _form() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.drawString(50, 780, "Form")
    pdf.acroForm.textfield(name="unit", value="County office", x=50, y=700, width=200, height=20)
    pdf.acroForm.checkbox(name="done", x=50, y=650, checked=True)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _broken_xref(data: bytes) -> bytes:
    """Every offset in the cross-reference table wrong by 7 bytes, and startxref too."""
    head, _, rest = data.rpartition(b"xref\n")
    table, _, trailer = rest.partition(b"trailer")
    shifted = b"\n".join(b"%010d%s" % (int(line[:10]) + 7, line[10:]) if line[:10].isdigit() and b" n" in line
                         else line for line in table.split(b"\n"))
    return head + b"xref\n" + shifted + b"trailer" + trailer.replace(b"startxref\n", b"startxref\n1")


def raw_pdf(objects: dict[int, bytes]) -> bytes:
    """A PDF written by hand from numbered object bodies (1 must be the catalog)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, objects[number]))
    xref, size = out.tell(), max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n")
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def unmergeable_pdf() -> bytes:
    """Page boxes read fine, but the page's resources nest 5,000 levels deep: its page cannot be copied."""
    deep = b"[" * 5000 + b"]" * 5000
    return raw_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 4 0 R /Contents 5 0 R >>",
                    4: b"<< /X " + deep + b" >>", 5: b"<< /Length 9 >>\nstream\n0 0 m S \nendstream"})


def _pdfs() -> list[Sample]:
    sound = reportlab_pdf([A4, A4, A4], "Scanned")
    return [
        Sample("线性化.pdf", _pikepdf(sound, linearize=True)),
        Sample("对象流.pdf", _pikepdf(sound, object_stream_mode=_object_streams())),
        Sample("增量更新.pdf", _incremental(sound)),
        Sample("交叉引用表损坏.pdf", _broken_xref(sound)),
        Sample("仅限打印加密.pdf", _encrypted(sound, "", "AES-128")),
        Sample("RC4加密.pdf", _encrypted(sound, "", "RC4-128")),
        Sample("需要密码.pdf", _encrypted(sound, "机密", "AES-256"), "加密", "scan"),
        Sample("横竖混排.pdf", reportlab_pdf([A4, A4_LANDSCAPE, A3, LETTER, A4], "Mixed", rotate={5: 90})),
        Sample("表单.pdf", _form()),
        Sample("页面无法合并.pdf", unmergeable_pdf(), "无法复制", "pdf"),
        Sample("其实是网页.pdf", b"<!DOCTYPE html><html><body>404</body></html>", "不符", "scan"),
        Sample("截断的文件.pdf", sound[:600], "损坏", "scan"),
    ]


def _thousand_pages() -> list[Sample]:
    return [Sample("一千页.pdf", reportlab_pdf([A4] * 1000, "Long"))]


# --- Office --------------------------------------------------------------------------------------------------------

def ole_file(stream_name: str, payload: bytes) -> bytes:
    """A compound file with one stream (ole_streams)."""
    return ole_streams({stream_name: payload})


def ole_streams(streams: dict[str, bytes]) -> bytes:
    """A compound file (OLE2, what .doc/.xls/.wps/.et are) with the given streams, written by hand: 512-byte
    sectors, sector 0 the FAT, sector 1 the directory, each stream padded to 4 KB (no mini stream) in sectors of
    its own, one after another. The streams hang from the root as a chain of right siblings, in the
    order of the names' length then their upper case (what the format asks)."""
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    names = sorted(streams, key=lambda name: (len(name), name.upper()))
    assert len(names) <= 3  # one directory sector: the root and three entries
    fat, body, starts = [fat_sector, end], b"", []
    for name in names:
        payload = streams[name].ljust(4096, b"\x00")
        payload = payload.ljust(-(-len(payload) // 512) * 512, b"\x00")
        sectors = len(payload) // 512
        starts.append(len(fat))
        fat += [len(fat) + n + 1 for n in range(sectors - 1)] + [end]
        body += payload
    assert len(fat) <= 128
    fat += [free] * (128 - len(fat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *([free] * 108)))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", free, right, child) + b"\x00" * 36 + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, free, 1, end, 0)]
    for index, (name, start) in enumerate(zip(names, starts, strict=True), start=1):
        right = index + 1 if index < len(names) else free
        entries.append(entry(name, 2, right, free, start, len(streams[name].ljust(4096, b"\x00"))))
    entries += [entry("", 0, free, free, 0, 0)] * (4 - len(entries))
    return header + struct.pack("<128I", *fat) + b"".join(entries) + body


def _docx_with_images() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("会议纪要（含各种来源的图片）")
    for image in (png_raw(60, 40, 16, 2, b"\x80\x00\x40\x00\xf0\x00"), _save(_photo((80, 60)), "GIF"),
                  _save(_photo((80, 60)), "JPEG", progressive=True), _save(_photo((80, 60)), "BMP")):
        document.add_picture(io.BytesIO(image))
    buffer = io.BytesIO()
    document.save(buffer)
    return _swap_media(buffer.getvalue(), ".jpeg", _save(_photo((80, 60), "CMYK"), "JPEG"))


def _swap_media(docx_bytes: bytes, suffix: str, data: bytes) -> bytes:
    """Replace the embedded image(s) ending in `suffix`: how a CMYK photo gets into a document Word made."""
    source, out = zipfile.ZipFile(io.BytesIO(docx_bytes)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            swap = info.filename.startswith("word/media/") and info.filename.endswith(suffix)
            target.writestr(info, data if swap else source.read(info))
    return out.getvalue()


def _xlsx_with_image() -> bytes:
    import openpyxl
    from openpyxl.drawing.image import Image as SheetImage

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for number in range(30):
        sheet.append([number, f"快检台账第{number}行", "合格"])
    sheet.add_image(SheetImage(io.BytesIO(_save(_photo((90, 60)).convert("P"), "PNG", transparency=0))), "E2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _offices() -> list[Sample]:
    docx_bytes = _docx_with_images()
    return [
        Sample("含图片的纪要.docx", docx_bytes, "LibreOffice", "pdf"),
        Sample("含图片的台账.xlsx", _xlsx_with_image(), "LibreOffice", "pdf"),
        Sample("旧版文档.doc", ole_file("WordDocument", b"\xec\xa5" + b"doc" * 100), "LibreOffice", "pdf"),
        Sample("旧版表格.xls", ole_file("Workbook", b"\x09\x08" + b"xls" * 100), "LibreOffice", "pdf"),
        Sample("WPS文字.wps", ole_file("WordDocument", b"\xec\xa5" + b"wps" * 100), "LibreOffice", "pdf"),
        Sample("WPS表格.et", ole_file("Workbook", b"\x09\x08" + b"et" * 100), "LibreOffice", "pdf"),
        Sample("截断的文档.docx", docx_bytes[: len(docx_bytes) // 2], "损坏", "scan"),
    ]


def libreoffice_samples(workdir: Path) -> list[Sample]:
    """Files LibreOffice itself wrote (.doc, .xls, .odt from python-docx/openpyxl files); [] where it is missing."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return []
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "source.docx").write_bytes(_docx_with_images())
    (workdir / "source.xlsx").write_bytes(_xlsx_with_image())
    made = []
    for source, target in (("source.docx", "doc"), ("source.xlsx", "xls"), ("source.docx", "odt")):
        subprocess.run([soffice, "--headless", f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
                        "--convert-to", target, "--outdir", str(workdir), str(workdir / source)],
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=180, check=False)
        produced = workdir / f"source.{target}"
        if produced.is_file():
            made.append(Sample(f"LibreOffice另存.{target}", produced.read_bytes(), None, "pdf"))
    return made


BUILDERS = {"jpeg": _jpegs, "png": _pngs, "gif": _gifs, "tiff": _tiffs, "webp": _webps, "bmp": _bmps,
            "heic": _heics, "pdf": _pdfs, "office": _offices, "pdf_1000_pages": _thousand_pages}
