"""Long screenshots (a WeChat group's notice, an official account's article) are read across pages in both
dossiers: cut into page-high pieces at the type area's width, not shrunk whole into a photo's half page."""

from __future__ import annotations

import re
from itertools import pairwise

import docx
import pytest
from export_helpers import flat_outline, jpeg, options, page_texts
from PIL import Image, ImageDraw
from pypdf import PdfReader

from archive.index.scan import scan
from archive.links import link
from exporters import export
from exporters.images import prepare_image
from exporters.picture_slices import OVERLAP, is_long, is_tall, pages_of, piece_rows


def long_screenshot(path, size=(1080, 9000)):
    """Bands of alternating colour, one every 150 rows, as a chat's bubbles."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for top in range(0, size[1], 150):
        draw.rectangle((40, top + 10, size[0] - 100, top + 120), fill=(149, 236, 105) if top % 300 else (220, 220, 220))
    image.save(path)
    return path


@pytest.mark.parametrize("size, long, tall", [((1080, 2340), False, True), ((1080, 3240), True, False),
                                              ((1600, 1200), False, False), ((1080, 1440), False, False),
                                              ((200, 900), True, False), ((0, 10), False, False)])
def test_a_picture_three_times_as_tall_as_wide_is_long_a_phone_screenshot_only_tall(size, long, tall):
    assert is_long(*size) is long and is_tall(*size) is tall


@pytest.mark.parametrize("width, height", [(1240, 20_000), (1080, 9000), (200, 900), (1240, 1650), (300, 5001)])
def test_the_pieces_cover_every_row_and_neighbours_share_a_strip(width, height):
    rows = piece_rows(width, height)
    assert rows[0][0] == 0 and rows[-1][1] == height
    for (_, bottom), (top, _) in pairwise(rows):
        assert bottom - top == OVERLAP
    assert all(bottom > top + OVERLAP for top, bottom in rows[1:])  # each piece shows rows of its own


def test_a_long_picture_is_prepared_as_pieces_at_full_width_and_a_turned_one_too(tmp_path):
    prepared = prepare_image(str(long_screenshot(tmp_path / "长图.png")), str(tmp_path), 0)
    assert prepared.pages == len(prepared.pieces) == len(piece_rows(1080, 9000)) > 1
    assert {piece.width for piece in prepared.pieces} == {1080}  # not reduced to 2000 px on the long side
    assert prepared.path == prepared.pieces[0].path
    with Image.open(prepared.pieces[1].path) as piece:
        assert piece.size == (1080, prepared.pieces[1].height)
    stored_across = Image.new("RGB", (8000, 1000), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # turned: upright it is 1000 wide, 8000 tall
    stored_across.save(tmp_path / "横存.jpg", exif=exif.tobytes())
    turned = prepare_image(str(tmp_path / "横存.jpg"), str(tmp_path), 1)
    assert turned.pieces and {piece.width for piece in turned.pieces} == {1000}
    screenshot = prepare_image(str(jpeg(tmp_path / "截图.jpg", size=(1080, 2340))), str(tmp_path), 2)
    assert screenshot.pages == 1 and screenshot.pieces == (screenshot.pieces[0],)  # whole, on a page of its own
    photo = prepare_image(str(jpeg(tmp_path / "照片.jpg", size=(1080, 1440))), str(tmp_path), 3)
    assert photo.pieces == () and photo.pages == 1


@pytest.fixture
def linked_long(archive, evidence):
    folder = evidence / "1.3 宣传"
    folder.mkdir()
    jpeg(folder / "1 活动照片.jpg", color="red")
    long_screenshot(folder / "2 微信群通知.png")
    jpeg(folder / "3 现场照片.jpg", color="blue")
    link(archive, "1.2", [str(folder)])
    scan(archive)
    return len(piece_rows(1080, 9000))


@pytest.mark.cjk_font
def test_the_pdf_shows_each_piece_on_a_page_of_its_own_and_the_catalogue_counts_them(archive, linked_long, tmp_path):
    pieces = linked_long
    path = tmp_path / "汇编.pdf"
    export(archive, "pdf", path, options(codes=["1.2"]))
    marks, texts = flat_outline(path), page_texts(path)
    first = marks["1.2-002 微信群通知"][1]
    assert marks["1.2-001 活动照片"][1] == first - 1  # the photo before keeps its page; the pieces start a new one
    assert marks["1.2-003 现场照片"][1] == first + pieces  # the photo after the last piece starts one too
    for number in range(pieces):
        assert f"图片 1.2-002 微信群通知（第 {number + 1}/{pieces} 页）" in texts[first - 1 + number]
    assert "事由" in texts[first - 2 + pieces] and "事由" not in texts[first - 1]  # the caption after the last
    flat = "".join("".join(page.split()) for page in texts)
    assert f"1.2-002微信群通知{pieces}{first - 1}-{first - 2 + pieces}" in flat  # 页数 and 起止页 (no cover page)
    reader = PdfReader(str(path))
    page = reader.pages[first - 1]
    assert [image.image.width for image in page.images] == [1080]  # as prepared: its full width, not a strip
    drawn = re.search(rb"([\d.]+) 0 0 [\d.]+ [\d.]+ [\d.]+ cm\n/FormXob\.[0-9a-f]+ Do", page.get_contents().get_data())
    assert drawn and float(drawn.group(1)) > 440  # drawn across the type area (442 pt)


def test_the_word_dossier_puts_each_piece_on_a_page_of_its_own(archive, linked_long, tmp_path):
    pieces = linked_long
    path = tmp_path / "汇编.docx"
    export(archive, "docx", path, options(codes=["1.2"]))
    document = docx.Document(str(path))
    lines = [p for p in document.paragraphs if p.text.startswith("图片 1.2-002 微信群通知（第")]
    assert [p.text for p in lines] == [f"图片 1.2-002 微信群通知（第 {n}/{pieces} 页）" for n in range(1, pieces + 1)]
    assert all(p.paragraph_format.page_break_before for p in lines)  # after the first photo's page, one a page
    body = document.element.body.xml
    assert len(re.findall(r"<pic:pic\b", body)) == pieces + 2
    after = [p.text for p in document.paragraphs if p.paragraph_format.page_break_before]
    assert after[after.index(lines[-1].text) + 1] == ""  # the next photo's picture line starts the next page
    catalogue = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["序号", "档号"])
    row = next(r for r in catalogue.rows if r.cells[1].text == "1.2-002")
    shown = row.cells[7].text
    assert row.cells[6].text == str(pieces) and re.fullmatch(r"\d+-\d+", shown), shown
    start, end = map(int, shown.split("-"))
    assert end - start + 1 == pieces


def test_the_export_plan_names_the_long_screenshots_and_their_pages(archive, linked_long):
    from exporters import plan_export

    for fmt in ("pdf", "docx"):
        lines = plan_export(archive, fmt, options(codes=["1.2"])).lines()
        assert f"1 张长截图或多页图片将分页显示：1.2-002 2 微信群通知（{linked_long} 页）" in lines, lines
    assert not any("长截图" in line for line in plan_export(archive, "pdf", options(catalogue_only=True)).lines())


def test_the_header_size_is_pillows_for_pngs_and_jpegs_of_every_kind_and_none_when_unsure(tmp_path):
    """The plan reads each picture's size from its head (10 us a photo, Pillow 230 us): it must agree with Pillow."""
    from exporters.picture_slices import header_size

    exif = Image.Exif()
    exif[0x927C] = b"\0" * 60_000  # a phone's maker notes: the frame header 60 KB into the file
    pictures = {"plain.jpg": dict(), "progressive.jpg": dict(progressive=True), "big-exif.jpg": dict(exif=exif),
                "cmyk.jpg": dict(mode="CMYK"), "grey.png": dict(mode="L"), "tall.png": dict(size=(300, 2000))}
    for name, how in pictures.items():
        size, mode = how.pop("size", (640, 480)), how.pop("mode", "RGB")
        Image.new(mode, size, "white" if mode != "CMYK" else (0, 0, 0, 0)).save(tmp_path / name, **how)
        with Image.open(tmp_path / name) as im:
            assert header_size(str(tmp_path / name)) == im.size, name
    assert pages_of(str(tmp_path / "tall.png")) == len(piece_rows(300, 2000)) > 1
    cut = (tmp_path / "big-exif.jpg").read_bytes()[:30_000]
    (tmp_path / "cut.jpg").write_bytes(cut)
    (tmp_path / "text.jpg").write_bytes(b"not a picture at all")
    assert header_size(str(tmp_path / "cut.jpg")) is None and header_size(str(tmp_path / "text.jpg")) is None
    assert pages_of(str(tmp_path / "text.jpg")) == 1 and pages_of(str(tmp_path / "missing.png")) == 1


def fax(path, pages=3, **save):
    """A scanner's or a fax's multi-page TIFF: bilevel pages, each a different shade of text block."""
    frames = []
    for number in range(pages):
        page = Image.new("L", (1240, 1754), 255)
        ImageDraw.Draw(page).rectangle((100, 100 + 200 * number, 1100, 260 + 200 * number), fill=0)
        frames.append(page.convert("1"))
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="group4", **save)
    return path


def test_every_page_of_a_multi_page_tiff_is_shown_where_only_the_first_was(archive, evidence, tmp_path):
    from exporters import plan_export

    prepared = prepare_image(str(fax(tmp_path / "传真.tif")), str(tmp_path), 0)
    assert prepared.pages == 3 and {(piece.width, piece.height) for piece in prepared.pieces} == {(1240, 1754)}
    tops = []
    for piece in prepared.pieces:  # each piece is its own page: its black block lower than the one before
        with Image.open(piece.path) as im:
            tops.append(next(y for y in range(im.height) if im.getpixel((600, y))[0] < 128))
    assert tops == sorted(tops) and len(set(tops)) == 3
    folder = evidence / "1.3 传真"
    folder.mkdir()
    fax(folder / "省局通知传真件.tif")
    link(archive, "1.2", [str(folder)])
    scan(archive)
    assert "1 张长截图或多页图片将分页显示：1.2-001 省局通知传真件（3 页）" in plan_export(archive, "pdf",
                                                                             options(codes=["1.2"])).lines()
    path = tmp_path / "汇编.pdf"
    export(archive, "pdf", path, options(codes=["1.2"]))
    first = flat_outline(path)["1.2-001 省局通知传真件"][1]
    texts = page_texts(path)
    assert [f"图片 1.2-001 省局通知传真件（第 {n}/3 页）" in texts[first - 2 + n] for n in (1, 2, 3)] == [True] * 3
    export(archive, "docx", tmp_path / "汇编.docx", options(codes=["1.2"]))
    lines = [p.text for p in docx.Document(str(tmp_path / "汇编.docx")).paragraphs if p.text.startswith("图片 1.2-001")]
    assert len(lines) == 3


def with_subfile_types(path, types):
    """Set each frame's NewSubfileType (tag 254) in the TIFF at `path`, walking its IFD chain by hand: Pillow writes
    the same tags for every frame it saves."""
    data = bytearray(path.read_bytes())
    assert data[:4] == b"II*\0"
    offset = int.from_bytes(data[4:8], "little")
    for subfile_type in types:
        count = int.from_bytes(data[offset:offset + 2], "little")
        entries = [offset + 2 + 12 * n for n in range(count)]
        [entry] = [e for e in entries if int.from_bytes(data[e:e + 2], "little") == 254]
        data[entry + 8:entry + 12] = subfile_type.to_bytes(4, "little")
        offset = int.from_bytes(data[offset + 2 + 12 * count:offset + 6 + 12 * count], "little")
    assert offset == 0  # every frame was given its type
    path.write_bytes(bytes(data))
    return path


def test_a_tiffs_thumbnail_is_not_shown_as_a_page(tmp_path):
    """Scanners and editors may store a reduced-resolution copy of a page (NewSubfileType bit 0) or a mask (bit 2)
    beside the pages: they were shown as pages of their own."""
    pages = [Image.new("L", (1240, 1754), 255) for _ in range(3)]
    for number, page in enumerate(pages):
        ImageDraw.Draw(page).rectangle((100, 100 + 300 * number, 1100, 260 + 300 * number), fill=0)
    frames = [pages[0], pages[0].resize((124, 175)), pages[1], pages[2].convert("1")]
    path = tmp_path / "扫描件.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], tiffinfo={254: 0})
    with_subfile_types(path, [0, 1, 0, 4])  # page, its thumbnail, page, a mask
    prepared = prepare_image(str(path), str(tmp_path), 0)
    assert [(piece.width, piece.height) for piece in prepared.pieces] == [(1240, 1754)] * 2
    assert pages_of(str(path)) == 2
    with_subfile_types(path, [1, 0, 4, 4])  # one page behind its thumbnail: that page alone, a scanned sheet's
    prepared = prepare_image(str(path), str(tmp_path), 1)  # page of its own
    assert [(piece.width, piece.height) for piece in prepared.pieces] == [(124, 175)]
    assert pages_of(str(path)) == 1


@pytest.mark.cjk_font
def test_a_phone_screenshot_is_shown_whole_on_a_page_of_its_own(archive, evidence, tmp_path):
    """In a photo's half page a 1080×2340 screenshot's text was about 5 points high: on a page of its own, whole,
    it is drawn twice as large; the photos before and after keep their sheets."""
    folder = evidence / "1.3 截图"
    folder.mkdir()
    jpeg(folder / "1 活动照片.jpg", color="red")
    Image.new("RGB", (1080, 2340), "skyblue").save(folder / "2 聊天截图.png")
    jpeg(folder / "3 现场照片.jpg", color="blue")
    link(archive, "1.2", [str(folder)])
    scan(archive)
    path = tmp_path / "汇编.pdf"
    export(archive, "pdf", path, options(codes=["1.2"]))
    marks, texts = flat_outline(path), page_texts(path)
    page = marks["1.2-002 聊天截图"][1]
    assert marks["1.2-001 活动照片"][1] == page - 1 and marks["1.2-003 现场照片"][1] == page + 1
    assert "图片 1.2-002 聊天截图" in texts[page - 1] and "第 1/1 页" not in texts[page - 1]
    drawn = re.search(rb"[\d.]+ 0 0 ([\d.]+) [\d.]+ [\d.]+ cm\n/FormXob\.[0-9a-f]+ Do",
                      PdfReader(str(path)).pages[page - 1].get_contents().get_data())
    assert drawn and float(drawn.group(1)) > 500  # most of the type area's 638 points (a slot gave it 330)
    flat = "".join("".join(text.split()) for text in texts)
    assert f"1.2-002聊天截图1{page - 1}" in flat  # 页数 1, 起止页 its page


def test_the_page_estimate_without_fonts_gives_pictures_of_their_own_their_pages():
    """Where no CJK font can lay the Word dossier out, its 目录 and 起止页 are estimated: a screenshot and a long
    picture's pieces take pages of their own there too."""
    from exporters import model
    from exporters.docx_pages import estimate_pages

    def photo(name: str, pages: int = 1, alone: bool = False) -> model.Photo:
        return model.Photo(f"/{name}", name, name, name, (), pages, alone)

    sheet = model.PhotoSheet((photo("a"), photo("screen", 1, True), photo("b"), photo("c"), photo("d"),
                              photo("long", 3, True), photo("e")), per_page=2)
    cover = model.Cover("标题", "某县", "", "", "2026年12月6日")
    found, total = estimate_pages(model.Dossier(cover, "页眉", "2026-12-06 00:00:00", [sheet]))
    assert {name: found[name] for name in ["a", "screen", "b", "c", "d", "long", "e"]} == {
        "a": (1, 1), "screen": (2, 2), "b": (3, 3), "c": (3, 3), "d": (4, 4), "long": (5, 7), "e": (8, 8)}
    assert total == 8


def scanned_sheet(path, size=(1240, 1754)):
    """A page of a notice as a phone's scanner app or a scanner saves it: white paper, a red 红头, lines of text."""
    image = Image.new("RGB", size, (246, 246, 244))
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle((width // 4, height // 12, 3 * width // 4, height // 12 + 40), fill=(200, 30, 30))
    for top in range(height // 6, height - height // 10, 36):  # a line of text: strokes over a sixth of its box
        draw.rectangle((width // 8, top, width - width // 8, top + 6), fill=(30, 30, 30))
    image.save(path, quality=85)
    return path


def scene_photo(path, size=(1200, 1600), turn: int = 90):
    """A photo of a scene: light and dark everywhere, as a meeting room or a market stall (`turn`: another one)."""
    grey = Image.linear_gradient("L").resize(size)
    flipped = grey.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    Image.merge("RGB", (grey, grey.rotate(turn).resize(size), flipped)).save(path)
    return path


def test_a_scanned_sheet_of_paper_is_told_from_a_photo(tmp_path):
    from exporters.picture_slices import looks_like_a_page

    assert looks_like_a_page(str(scanned_sheet(tmp_path / "扫描件.jpg")))
    assert looks_like_a_page(str(scanned_sheet(tmp_path / "横向表格.png", (1754, 1240))))  # a landscape table
    assert looks_like_a_page(str(scanned_sheet(tmp_path / "16开.jpg", (1100, 1520))))
    assert not looks_like_a_page(str(scene_photo(tmp_path / "会议照片.jpg")))  # a portrait photo, 3:4
    assert not looks_like_a_page(str(scanned_sheet(tmp_path / "方形.jpg", (1200, 1200))))  # not paper's shape
    assert not looks_like_a_page(str(jpeg(tmp_path / "天空.jpg", size=(1200, 1600))))  # paper's shape, not white
    assert not looks_like_a_page(str(tmp_path / "不存在.jpg"))


@pytest.mark.cjk_font
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_scanned_sheet_is_shown_on_a_page_of_its_own_and_photos_keep_their_sheets(archive, evidence, tmp_path, fmt):
    """Two to a page, a scanned notice's text was a third of its size; across the type area, on a page of its
    own, it can be read. The photos before and after keep their shared pages."""
    folder = evidence / "1.3 扫描件"
    folder.mkdir()
    scene_photo(folder / "1 会议照片.jpg")
    scanned_sheet(folder / "2 扫描件.jpg")
    scene_photo(folder / "3 现场照片.jpg", turn=45)
    scene_photo(folder / "4 检查照片.jpg", turn=30)
    link(archive, "1.2", [str(folder)])
    scan(archive)
    path = tmp_path / f"汇编.{fmt}"
    export(archive, fmt, path, options(codes=["1.2"]))
    if fmt == "docx":
        document = docx.Document(str(path))
        line = next(p for p in document.paragraphs if p.text.startswith("图片 1.2-002"))
        assert line.text == "图片 1.2-002 扫描件" and line.paragraph_format.page_break_before
        titles = [p.text for p in document.paragraphs if p.style.name == "表题"]
        assert "1.2-001 会议照片" in titles and "1.2-002 扫描件" not in titles  # no photo's caption under it
        return
    marks, texts = flat_outline(path), page_texts(path)
    page = marks["1.2-002 扫描件"][1]
    assert marks["1.2-001 会议照片"][1] == page - 1
    assert marks["1.2-003 现场照片"][1] == marks["1.2-004 检查照片"][1] == page + 1  # two to a page, as before
    assert "图片 1.2-002 扫描件" in texts[page - 1] and "事由" not in texts[page - 1]  # a notice, not a photo
    assert "事由" in texts[page - 2]
    drawn = re.search(rb"([\d.]+) 0 0 ([\d.]+) [\d.]+ [\d.]+ cm\n/FormXob\.[0-9a-f]+ Do",
                      PdfReader(str(path)).pages[page - 1].get_contents().get_data())
    assert drawn and float(drawn.group(2)) > 500  # most of the type area's height (a photo's slot: under 330)


def test_the_export_plan_asks_no_reason_of_a_scanned_sheet(archive, evidence):
    """A scanned notice is printed without a photo's caption: the plan counted it among the photos "没有填写事由"
    and sent the clerk to caption a sheet of paper."""
    from exporters import plan_export

    folder = evidence / "1.3 扫描件"
    folder.mkdir()
    scene_photo(folder / "IMG_0001.jpg")
    scanned_sheet(folder / "IMG_0002.jpg")
    link(archive, "1.2", [str(folder)])
    scan(archive)
    lines = plan_export(archive, "pdf", options(codes=["1.2"])).lines()
    assert [line[:12] for line in lines if "事由" in line] == ["1 张照片没有填写事由，"]
