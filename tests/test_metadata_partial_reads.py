"""The metadata readers read less than the whole file and must find what a whole reading finds: a sheet's first row
and the shared strings it uses inflated only as far as needed (checked against a reading of the whole 64 KB head),
a PDF's newest info dictionary found from the end, its marks (/Encrypt, fonts that show Chinese) found in one pass,
a Word body searched as bytes (checked against the decoded text it was searched as) and its head taken lazily."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from metadata_support import jpeg_with_exif, values
from openpyxl import Workbook

from archive.index import officezip
from archive.metadata import pdfmeta, text
from archive.metadata.extract import extract
from archive.metadata.office import paragraphs, read_office


def workbook(path: Path, sheet_xml: str, shared: list[str] | None = None) -> Path:
    """An .xlsx as Excel lays it out, written part by part: where its first row and strings stand is up to the test."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                             'package/2006/content-types"/>')
        book.writestr("xl/worksheets/sheet1.xml", f"<worksheet><sheetData>{sheet_xml}</sheetData></worksheet>")
        if shared is not None:
            items = "".join(f"<si><t>{text}</t></si>" for text in shared)
            book.writestr("xl/sharedStrings.xml", f'<sst count="{len(shared)}">{items}</sst>')
    return path


def whole_head_reading(path: Path, monkeypatch) -> list[str]:
    """The first row as read from the whole 64 KB head of each part (no stepwise inflation)."""
    with monkeypatch.context() as patch:
        patch.setattr(officezip, "HEAD_STEP", 1 << 30)
        return read_office(str(path), "xlsx", None).first_row


FILLER = [f"检测项目{number}" for number in range(2000)]  # 46 KB of strings: all within the head a row may use
LONG = [f"第{number}个检测项目的结果说明{'长' * (number % 50)}" for number in range(3000)]  # 170 KB


@pytest.mark.parametrize(("row", "table", "expected"), [
    ('<row r="1"><c r="A1" t="s"><v>1999</v></c></row>', FILLER, [FILLER[1999]]),  # well beyond the first step
    ('<row r="1"><c r="A1" t="s"><v>7</v></c><c r="B1" t="s"><v>1500</v></c></row>', FILLER,
     [FILLER[7], FILLER[1500]]),
    ('<row r="1"><c r="A1" t="s"><v>1</v></c></row>', FILLER, [FILLER[1]]),
    ('<row r="1"><c r="A1" t="s"><v>2000</v></c></row>', FILLER, []),  # past the table's end
    ('<row r="1"><c r="A1" t="s"><v>2999</v></c></row>', LONG, []),  # past the 64 KB read of the table
    ('<row r="1"><c r="A1" t="s"><v>300</v></c></row>', LONG, [LONG[300]]),
])
def test_shared_strings_are_read_as_far_as_the_first_row_needs(tmp_path, monkeypatch, row, table, expected):
    path = workbook(tmp_path / "台账.xlsx", row + "<row r=\"2\"><c><v>1</v></c></row>", table)
    assert read_office(str(path), "xlsx", None).first_row == expected == whole_head_reading(path, monkeypatch)
    assert read_office(str(path), "xlsx", path.read_bytes()).first_row == expected


def test_a_first_row_far_into_the_sheet_or_beyond_its_head(tmp_path, monkeypatch):
    title = '<row r="1"><c t="inlineStr"><is><t>某某县2024年食品抽检台账</t></is></c></row>'
    near = workbook(tmp_path / "near.xlsx", "<x/>" * 5000 + title)  # 20 KB in: found in a later step
    assert read_office(str(near), "xlsx", None).first_row == ["某某县2024年食品抽检台账"]
    assert values(extract(str(near), "xlsx")) == {"title": "某某县2024年食品抽检台账"}
    far = workbook(tmp_path / "far.xlsx", "<x/>" * 20000 + title)  # 80 KB in: past the head a title row may take
    assert read_office(str(far), "xlsx", None).first_row == [] == whole_head_reading(far, monkeypatch)
    unended = workbook(tmp_path / "unended.xlsx", title[:-6])
    assert read_office(str(unended), "xlsx", None).first_row == [] == whole_head_reading(unended, monkeypatch)


def test_openpyxl_workbooks_read_stepwise_as_whole(tmp_path, monkeypatch):
    for rows in (0, 3, 4000):
        book = Workbook()
        book.active.append(["关于2024年第一批食品抽检结果的通报"])
        for number in range(rows):
            book.active.append([f"样品{number}", "合格" if number % 3 else f"不合格{number}", number])
        path = tmp_path / f"{rows}.xlsx"
        book.save(path)
        assert read_office(str(path), "xlsx", None).first_row == ["关于2024年第一批食品抽检结果的通报"]
        assert whole_head_reading(path, monkeypatch) == ["关于2024年第一批食品抽检结果的通报"]


def test_the_newest_info_dictionary_of_an_incrementally_saved_pdf(tmp_path):
    body = (b"%PDF-1.4\n1 0 obj\n<< /Title (old) >>\nendobj\n11 0 obj\n<< /Title <FEFF"
            + "关于督查的通报".encode("utf-16-be").hex().encode() + b"> >>\nendobj\n"
            b"trailer\n<< /Info 1 0 R >>\n/InfoX 7 0 R\ntrailer\n<< /Info 11 0 R >>\n%%EOF\n")
    path = tmp_path / "a.pdf"
    path.write_bytes(body)
    assert pdfmeta._info_fast(body) == {"title": "关于督查的通报"}
    assert values(extract(str(path), "pdf")) == {"title": "关于督查的通报"}
    assert pdfmeta._last_info(b"/Info 1 0 R /Info\n2 0 R /Info x").group(1) == b"2"
    assert pdfmeta._last_info(b"no info here") is None


@pytest.mark.parametrize(("data", "expected"), [
    (b"<< /Type /Font /Subtype /Type0 /ToUnicode 5 0 R >>", {b"Type0", b"ToUnicode"}),
    (b"trailer << /Encrypt 3 0 R >> /EncryptMetadata", {b"Encrypt"}),
    (b"<< /Type /ObjStm /N 3 >> /Type /Type1", {b"ObjStm"}),
    (b"/Type0/ObjStm/ToUnicode/Encrypt", {b"Type0", b"ObjStm", b"ToUnicode", b"Encrypt"}),
    (b"Type0 ToUnicode (no slash)", set()),
])
def test_marks_are_what_in_tests_find(data, expected):
    assert pdfmeta.marks(data) == expected
    assert {name for name in (b"Encrypt", b"Type0", b"ToUnicode", b"ObjStm") if b"/" + name in data} == expected


def paragraphs_as_text(xml: bytes, count: int) -> list[str]:
    """The reading of a Word body before it was searched as bytes: decoded whole, then cut (the oracle)."""
    text_xml, lines = xml.decode("utf-8", "replace"), []
    chunks = text_xml.split("</w:p>")
    chunks = chunks if count > 0 else chunks[-2::-1]
    for chunk in chunks:
        line = "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", chunk))
        if line.strip() and len(lines) < abs(count):
            lines.append(html.unescape(line) if "&" in line else line)
    return lines if count > 0 else lines[::-1]


BODY = (b'<w:body><w:p><w:r><w:t xml:space="preserve">  \xe5\x85\xb3\xe4\xba\x8e </w:t></w:r><w:r><w:t>A&amp;B</w:t>'
        b"</w:r></w:p><w:p/><w:p><w:r><w:t>\xe5\x85</w:t></w:r><w:r><w:t>\xb3\xff</w:t></w:r></w:p>"
        b"<w:p><w:r><w:t\xe3\x80\x80a>\xe5\x85\xb3</w:t><w:t\xc2\xa0>x</w:t><w:t\xc2\xa1>no</w:t><w:t\x1cb>y</w:t>"
        b"</w:r></w:p><w:p><w:r><w:t>   </w:t></w:r></w:p><w:p><w:r><w:t>&#20851;&lt;</w:t></w:r></w:p>"
        b"<w:p><w:r><w:t>\xe6\x9c\xaa\xe5\xae\x8c</w:t></w:r>")


@pytest.mark.parametrize("count", [1, 2, 3, 15, -1, -2, -3, -12])
def test_a_word_body_searched_as_bytes_reads_as_the_decoded_text_did(count):
    assert paragraphs(BODY, count) == paragraphs_as_text(BODY, count)
    assert paragraphs(BODY, 3) == ["  关于 A&B", "\ufffd" * 3, "关xy"]  # a broken character stays broken


@pytest.mark.parametrize(("lines", "title"), [
    (["标题一", "标题二", "标题三"], None),  # three lines and nothing after: the note's content, not a title
    (["标题一", "标题二", "标题三", "正文"], "标题一标题二标题三"),
    (["关于开展检查的通知"], "关于开展检查的通知"),
])
def test_a_head_taken_line_by_line_as_from_a_list(lines, title):
    for given in (lines, iter(lines)):
        assert text.head_fields(given).get("title") == title


def test_a_photo_whose_exif_comes_after_the_first_kilobytes_is_still_read(tmp_path):
    """A picture's first 4 KB decide most of the time; EXIF after a long segment (an 8 KB application segment, as
    editors write colour profiles) is looked for in the first 64 KB as before."""
    plain = jpeg_with_exif(tmp_path / "plain.jpg", taken="2024:03:05 14:30:12", subject="校园食堂检查")
    data = plain.read_bytes()
    padded = tmp_path / "padded.jpg"
    padded.write_bytes(data[:2] + b"\xff\xef" + (8002).to_bytes(2, "big") + b"\x00" * 8000 + data[2:])
    expected = {"time": "2024-03-05 14:30:12", "subject": "校园食堂检查"}
    assert values(extract(str(plain), "jpg")) == expected == values(extract(str(padded), "jpg"))


def test_a_phone_photo_whose_exif_runs_past_64_kb_is_read_and_its_image_data_is_not(tmp_path):
    """Maker notes and a thumbnail make a phone's EXIF segment up to 64 KB; after the JFIF segment and before the
    colour profile, it ran past the 64 KB head Pillow was handed, which then read nothing at all. The segment is read
    to its end, and not a byte of the image data."""
    from PIL import Image

    from archive.metadata.imagehead import PEEK, exif_block

    photo = jpeg_with_exif(tmp_path / "IMG_20240305_143012.jpg", taken="2024:03:05 14:30:12",
                           latitude=(30, 16, 26.76), longitude=(120, 9, 18.36), maker_note=65000,
                           noise=(1200, 900))
    data = photo.read_bytes()
    app1 = data.index(b"Exif\x00\x00") - 4
    end = app1 + 2 + int.from_bytes(data[app1 + 2:app1 + 4], "big")
    assert data[2:4] == b"\xff\xe0" and data.index(b"\xff\xda", end) > 64 << 10  # JFIF, EXIF: image data past 64 KB
    with pytest.raises(OSError):
        Image.open(io.BytesIO(data[:64 << 10])).getexif()  # what the scan did: nothing read
    assert values(extract(str(photo), "jpg")) == {"time": "2024-03-05 14:30:12",
                                                  "place": "北纬30.274100°，东经120.155100°"}

    class Counted(io.BytesIO):
        read_bytes = 0

        def read(self, size=-1):
            chunk = super().read(size)
            Counted.read_bytes += len(chunk)
            return chunk

    handle = Counted(data)
    assert exif_block(handle.read(PEEK), handle).startswith(b"Exif\x00\x00")
    assert Counted.read_bytes == end < len(data) // 2


def png_chunks(data: bytes) -> list[bytes]:
    """A PNG's chunks, each whole (length, type, data, CRC), after its signature."""
    chunks, at = [], 8
    while at < len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        chunks.append(data[at:at + 12 + length])
        at += 12 + length
    return chunks


@pytest.mark.parametrize("exif_after_image", [False, True])
def test_a_png_s_exif_is_read_from_its_chunk_and_its_picture_never_decoded(tmp_path, monkeypatch, exif_after_image):
    """Pillow decoded a whole PNG to look for EXIF (30 ms a 1920×1080 screenshot, most of which have none). The
    eXIf chunk is found by skipping from chunk to chunk, before the image data or after it (libpng writes either)."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8769)[0x9003] = "2024:05:20 09:15:00"
    with_exif, without = tmp_path / "截图1.png", tmp_path / "截图2.png"
    Image.effect_noise((640, 480), 40).convert("RGB").save(with_exif, exif=exif)
    Image.effect_noise((640, 480), 40).convert("RGB").save(without)
    if exif_after_image:
        chunks = png_chunks(with_exif.read_bytes())
        moved = [chunk for chunk in chunks if chunk[4:8] != b"eXIf"]
        moved.insert(-1, next(chunk for chunk in chunks if chunk[4:8] == b"eXIf"))  # just before IEND
        with_exif.write_bytes(b"\x89PNG\r\n\x1a\n" + b"".join(moved))
        assert with_exif.read_bytes().index(b"eXIf") > with_exif.read_bytes().index(b"IDAT")
    with Image.open(with_exif) as image:
        image.load()
        from archive.metadata.exif import exif_fields

        expected = exif_fields(image.getexif())  # Pillow, decoding it: the oracle
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("the picture was decoded"))
    assert values(extract(str(with_exif), "png")) == expected == {"time": "2024-05-20 09:15:00", "orientation": "6"}
    assert values(extract(str(with_exif), "png", with_exif.read_bytes())) == expected
    assert values(extract(str(without), "png")) == {}
