"""The PDF dossier parsed back with pypdf: text, page numbers, catalogue, outline, attachments, fonts, images."""

from __future__ import annotations

import re
import struct
import time
import zlib
from pathlib import Path

import pytest
import reportlab
from export_helpers import ATTACHMENT_TEXT, cjk_pdf, flat_outline, jpeg, options, outline, page_texts, populate
from pypdf import PdfReader, PdfWriter

from archive.index.scan import scan
from archive.links import link
from common.errors import UserError
from conftest import tree_snapshot
from exporters import export, fonts
from exporters.pdf_merge import PageGeometry, placement_matrix

# A TrueType font without Chinese glyphs that is there wherever the tests run: reportlab ships it.
LATIN_ONLY_FONT = str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")


@pytest.fixture
def dossier_pdf(archive, evidence, tmp_path):
    populate(archive, evidence)
    before = tree_snapshot(evidence)
    path = tmp_path / "汇编.pdf"
    result = export(archive, "pdf", path, options())
    assert tree_snapshot(evidence) == before  # evidence folders are only read
    assert result.path == path and result.size == path.stat().st_size
    return path


def _fonts(reader: PdfReader) -> dict[str, bool]:
    """BaseFont -> embedded, over every page and every form XObject."""
    found: dict[str, bool] = {}

    def visit(resources, seen: set) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            found[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.idnum not in seen:
                seen.add(xobject.idnum)
                visit(xobject.get_object().get("/Resources"), seen)

    for page in reader.pages:
        visit(page.get("/Resources"), set())
    return found


@pytest.mark.cjk_font
def test_cover_bare_then_every_page_has_header_and_page_x_of_y(dossier_pdf):
    texts = page_texts(dossier_pdf)
    total = len(texts) - 1  # the cover is not numbered
    assert "第 " not in texts[0] and "某某县 创建国家食品安全示范城市迎检资料汇编" not in texts[0]
    for number, text in enumerate(texts[1:], start=1):
        assert "某某县 创建国家食品安全示范城市迎检资料汇编" in text
        assert f"第 {number} 页" in text and f"共 {total} 页" in text


@pytest.mark.cjk_font
def test_catalogue_page_numbers_match_the_outline(dossier_pdf):
    toc = page_texts(dossier_pdf)[2]
    lines = [line.strip() for line in toc.splitlines()]
    lines = lines[lines.index("目录") + 1:]
    listed = dict(zip(lines[0::2], lines[1::2], strict=False))
    marks = flat_outline(dossier_pdf)
    for title in ("编制说明", "评价项目汇总表", "一、组织领导", "（一）成立创建工作领导小组", "1.农残快检台账",
                  "（二）校园食品安全示范提升行动", "1.1-003 附件正文", "1.2-003 现场照片", "备考表"):
        assert listed[title] == str(marks[title][1] - 1), title  # shown numbers start after the cover


@pytest.mark.cjk_font
def test_outline_nests_like_the_criteria_tree_with_a_bookmark_per_file(dossier_pdf):
    tree = outline(dossier_pdf)
    top = [title for title, _, _ in tree]
    assert top == ["编制说明", "目录", "自评情况", "评价项目汇总表", "一、组织领导", "二、防范风险隐患",
                   "未附入材料说明", "备考表"]
    first = dict((t, c) for t, _, c in tree)["一、组织领导"]
    assert [t for t, _, _ in first] == ["（一）成立创建工作领导小组", "（二）制定创建工作方案"]
    assert [t for t, _, _ in first[0][2]] == ["1.1-001 2024年第一次会议纪要", "1.1-002 关于成立创建工作领导小组的通知",
                                              "1.1-003 附件正文"]  # the minutes, a text file, set as pages
    assert [t for t, _, _ in first[1][2]] == ["1.2-001 创建工作方案", "1.2-003 现场照片"]  # photos are bookmarked too
    second = dict((t, c) for t, _, c in tree)["二、防范风险隐患"]
    assert [t for t, _, _ in second[0][2]] == ["1.农残快检台账"]


@pytest.mark.cjk_font
def test_attached_pages_sit_inside_their_criterion_with_running_numbers(dossier_pdf):
    marks = flat_outline(dossier_pdf)
    texts = page_texts(dossier_pdf)
    start = marks["1.1-003 附件正文"][1]
    assert marks["（一）成立创建工作领导小组"][1] < start < marks["（二）制定创建工作方案"][1]
    for offset in range(3):
        page = texts[start - 1 + offset]
        assert ATTACHMENT_TEXT.format(offset + 1) in page  # the attached page itself, drawn on the placeholder
        assert f"附件 1.1-003 附件正文（第 {offset + 1}/3 页）" in page
        assert f"第 {start - 1 + offset} 页" in page
    notice = marks["1.1-002 关于成立创建工作领导小组的通知"][1]
    assert "（第 2/2 页）" in texts[notice]  # the conftest PDF has two blank pages


@pytest.mark.cjk_font
def test_catalogue_rows_give_the_pages_where_files_really_are(dossier_pdf):
    """起止页 of every attached file and photo against the page its bookmark points at, and 页数 against the
    attached pages counted in the document."""
    marks = flat_outline(dossier_pdf)
    text = "".join("".join(page.split()) for page in page_texts(dossier_pdf))
    for code, title, pages in (("1.1-002", "关于成立创建工作领导小组的通知", 2), ("1.1-003", "附件正文", 3),
                               ("1.2-003", "现场照片", 1)):
        first = marks[f"{code} {title}"][1] - 1
        shown = f"{first}-{first + pages - 1}" if pages > 1 else str(first)
        assert f"{code}{title}{pages}{shown}" in text, (code, shown)


def test_files_are_attached_in_catalogue_order_photos_between_documents_where_the_clerk_put_them(archive, evidence,
                                                                                                  tmp_path):
    """A clerk's "1.2-2 现场照片" before her "1.2-4 工作总结": its page comes before the summary's, so the 起止页
    rise with the 件号 as the binder is read; photos side by side in the catalogue share a sheet."""
    folder = evidence / "1.3 分工"
    folder.mkdir()
    (folder / "1.3-1 通知.pdf").write_bytes(cjk_pdf(2))
    for name, color in (("1.3-2 现场照片", "red"), ("1.3-3 会议照片", "green"), ("1.3-5 检查照片", "blue")):
        jpeg(folder / f"{name}.jpg", color=color)
    (folder / "1.3-4 工作总结.pdf").write_bytes(cjk_pdf(1))
    link(archive, "1.2", [str(folder)])
    scan(archive)
    path = tmp_path / "汇编.pdf"
    export(archive, "pdf", path, options(codes=["1.2"]))
    marks = flat_outline(path)
    titles = ["1.2-001 通知", "1.2-002 现场照片", "1.2-003 会议照片", "1.2-004 工作总结", "1.2-005 检查照片"]
    pages = [marks[title][1] for title in titles]
    assert pages == [pages[0], pages[0] + 2, pages[0] + 2, pages[0] + 3, pages[0] + 4]
    text = "".join("".join(page.split()) for page in page_texts(path))
    first = pages[0] - 1  # the page numbers printed: the cover has none
    for code, title, count, shown in (("1.2-001", "通知", 2, f"{first}-{first + 1}"),
                                      ("1.2-002", "现场照片", 1, str(first + 2)),
                                      ("1.2-004", "工作总结", 1, str(first + 3)),
                                      ("1.2-005", "检查照片", 1, str(first + 4))):
        assert f"{code}{title}{count}{shown}" in text, (code, shown)


@pytest.mark.cjk_font
def test_a_date_and_a_four_digit_page_range_stay_on_one_line_of_their_cells(archive, evidence, tmp_path):
    """"20240305" broken as "202403/05" read as two numbers (the 日期 column was narrower than eight digits); a
    range of a dossier over a thousand pages ("1106-1107") ran over its cell's borders: it is set smaller."""
    from pypdf.generic import IndirectObject

    from archive.metadata.store import file_id_for, set_values

    folder = evidence / "1.3 台账"
    folder.mkdir()
    thick = PdfWriter()
    for _ in range(1100):
        thick.add_blank_page(595, 842)
    thick.write(folder / "1 检查台账.pdf")
    (folder / "2 通知.pdf").write_bytes(cjk_pdf(2))
    link(archive, "1.2", [str(folder)])
    scan(archive)
    set_values(archive, [file_id_for(archive, str(folder / "2 通知.pdf"))], {"date": "2024-03-05"})
    path = tmp_path / "汇编.pdf"
    export(archive, "pdf", path, options(codes=["1.2"]))
    reader = PdfReader(str(path))
    page = next(page for page in reader.pages[:8] if "1.2 佐证材料目录" in page.extract_text())
    assert "20240305" in page.extract_text().split()
    sizes = {}
    for form in page["/Resources"]["/XObject"].values():
        form = form.get_object() if isinstance(form, IndirectObject) else form
        found = re.search(rb"/\S+ ([\d.]+) Tf .*\((\d+-\d+)\) Tj", form.get_data())
        if found:
            sizes[found.group(2).decode()] = float(found.group(1))
    assert sizes["6-1105"] == 9 and 7 < sizes["1106-1107"] < 9, sizes


@pytest.mark.cjk_font
def test_all_text_cjk_and_every_font_embedded(archive, evidence, tmp_path):
    populate(archive, evidence)
    path = tmp_path / "内部版.pdf"
    export(archive, "pdf", path, options(edition="internal"))
    reader = PdfReader(str(path))
    found = _fonts(reader)
    assert found and all(found.values()), found
    assert all("WenQuanYi" in name or "Sim" in name or "UMing" in name for name in found), found
    text = "".join(page_texts(path))
    for needle in ("评价项目汇总表", "缺项清单", "县教育局", "本项暂无佐证材料", "张三", "材料齐全", "PDF 文件已损坏",
                   "1.2-002", "损坏的通知", "台账一月", "生成时间：2024-05-01 10:00:00", "自查自评", "某某县食安办",
                   "内部版"):
        assert needle in text, needle


@pytest.mark.cjk_font
def test_corrupt_pdf_is_listed_not_attached_and_export_goes_on(dossier_pdf):
    marks = flat_outline(dossier_pdf)
    assert not any("损坏的通知" in title for title in marks)
    text = "".join(page_texts(dossier_pdf))
    assert re.search(r"损坏的通知.*PDF 文件已损坏", text, re.S)
    assert "附件未附入" not in text  # never a line in the binder: once, in 未附入材料说明


@pytest.mark.cjk_font
def test_photo_embedded_with_caption_and_catalogue_only_leaves_attachments_out(archive, evidence, tmp_path,
                                                                                dossier_pdf):
    full = PdfReader(str(dossier_pdf))
    images = [x for page in full.pages for x in page.images]
    assert len(images) == 1
    text = "".join(page_texts(dossier_pdf))
    assert "1.2-003 现场照片" in text and "事由：现场照片" in text and "摄影者：" in text
    lean = tmp_path / "目录.pdf"
    export(archive, "pdf", lean, options(catalogue_only=True))
    lean_reader = PdfReader(str(lean))
    assert len(lean_reader.pages) < len(full.pages)
    assert not [x for page in lean_reader.pages for x in page.images]
    lean_text = "".join(page_texts(lean))
    assert ATTACHMENT_TEXT.format(1) not in lean_text and "附件正文" in lean_text


@pytest.mark.cjk_font
def test_a_long_caption_element_wraps_onto_lines_of_its_own_and_is_never_cut(archive, evidence, tmp_path):
    from archive.metadata.store import file_id_for, set_values

    populate(archive, evidence)
    people = "县市场监管局张某某、李某某，县卫健委王某某，镇食安办赵某某及群众约二百人参加现场咨询与快检演示活动"
    photo = file_id_for(archive, str(evidence / "1.2 工作方案" / "现场照片.jpg"))
    set_values(archive, [photo], {"people": people, "place": "县城中心广场", "photographer": "王某某"})
    path = tmp_path / "汇编.pdf"
    export(archive, "pdf", path, options())
    text = re.sub(r"\s", "", "".join(page_texts(path)))
    assert "人物：" + people in text  # whole, over two lines, not "…"
    assert "地点：县城中心广场" in text and "摄影者：王某某" in text


@pytest.mark.cjk_font
def test_same_archive_twice_gives_identical_bytes(archive, evidence, tmp_path):
    populate(archive, evidence)
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    export(archive, "pdf", first, options())
    time.sleep(1.1)  # a clock that moved on must not show in the output
    export(archive, "pdf", second, options())
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.cjk_font
def test_huge_photo_is_scaled_down_and_a_bomb_is_listed(archive, evidence, tmp_path):
    folder = evidence / "1.2 工作方案"
    jpeg(folder / "大照片.jpg", size=(6000, 4500), color="orange")
    _bomb_png(folder / "巨图.png", 30000, 30000)
    populate(archive, evidence)
    before = tree_snapshot(evidence)
    path = tmp_path / "汇编.pdf"
    result = export(archive, "pdf", path, options())
    assert tree_snapshot(evidence) == before
    sizes = [(img.image.width, img.image.height) for page in PdfReader(str(path)).pages for img in page.images]
    assert max(max(s) for s in sizes) <= 2000 and len(sizes) == 2
    text = "".join(page_texts(path))
    assert "巨图" in text  # listed, not embedded, with the reason (the scan or the export found it)
    assert "解压炸弹" in text or ("图片像素过多" in text and any("巨图" in w for w in result.warnings))


def test_image_preparation_guards_and_orientation(tmp_path):
    from exporters.images import ImageProblem, prepare_image

    _bomb_png(tmp_path / "巨图.png", 30000, 30000)
    with pytest.raises(ImageProblem, match="像素过多"):
        prepare_image(str(tmp_path / "巨图.png"), str(tmp_path), 0)
    turned = prepare_image(str(jpeg(tmp_path / "竖拍.jpg", size=(300, 200), orientation=6)), str(tmp_path), 1)
    assert (turned.width, turned.height) == (200, 300) and turned.path.endswith("image-00001.jpg")
    upright = prepare_image(str(jpeg(tmp_path / "正常.jpg")), str(tmp_path), 2)
    assert upright.path == str(tmp_path / "正常.jpg")  # small and upright: embedded as is
    (tmp_path / "坏图.jpg").write_bytes(b"\xff\xd8\xff not really")
    with pytest.raises(ImageProblem, match="损坏"):
        prepare_image(str(tmp_path / "坏图.jpg"), str(tmp_path), 3)


@pytest.mark.cjk_font
def test_no_cjk_font_stops_with_what_to_install(archive, evidence, tmp_path, monkeypatch):
    populate(archive, evidence)
    monkeypatch.setattr(fonts, "font_dirs", lambda: [tmp_path / "没有字体"])
    with pytest.raises(UserError, match="fonts-wqy-microhei"):
        export(archive, "pdf", tmp_path / "x.pdf", options())
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*part"))
    with pytest.raises(UserError, match="不含中文字形"):
        export(archive, "pdf", tmp_path / "x.pdf", options(font_path=LATIN_ONLY_FONT))


@pytest.mark.cjk_font
def test_user_font_is_the_one_embedded(archive, evidence, tmp_path):
    chosen = fonts.find_fonts().files[-1]
    populate(archive, evidence)
    path = tmp_path / "x.pdf"
    export(archive, "pdf", path, options(font_path=chosen, catalogue_only=True))
    names = set(_fonts(PdfReader(str(path))))
    expected = "MicroHei" if "microhei" in chosen else chosen.rsplit("/", 1)[-1].split(".")[0]
    assert names and all(expected.lower() in name.lower() for name in names), names  # subsets of the one font


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_attached_page_is_turned_upright_and_fits_its_area(rotation):
    geometry = PageGeometry((10, 20, 610, 820), rotation)  # 600 x 800, offset crop box
    area = (30, 40, 500, 700)
    a, b, c, d, e, f = placement_matrix(geometry, area)
    corners = [(x * a + y * c + e, x * b + y * d + f) for x in (10, 610) for y in (20, 820)]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    assert min(xs) >= 30 - 1e-6 and max(xs) <= 530 + 1e-6 and min(ys) >= 40 - 1e-6 and max(ys) <= 740 + 1e-6
    top_left_source = {0: (10, 820), 90: (10, 20), 180: (610, 20), 270: (610, 820)}[rotation]
    x, y = top_left_source
    shown = (x * a + y * c + e, x * b + y * d + f)
    assert shown == pytest.approx((min(xs), max(ys)))  # what the viewer shows top-left stays top-left
    assert geometry.landscape == (rotation in (90, 270))


@pytest.mark.cjk_font
def test_landscape_attachment_gets_a_landscape_page(archive, evidence, tmp_path):
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    wide = evidence / "1.2 工作方案" / "横向表格.pdf"
    pdf = canvas.Canvas(str(wide), pagesize=landscape(A4), invariant=1)
    pdf.drawString(72, 72, "wide")
    pdf.showPage()
    pdf.save()
    populate(archive, evidence)
    scan(archive)
    path = tmp_path / "x.pdf"
    export(archive, "pdf", path, options())
    page = next(page for title, (_, page) in flat_outline(path).items() if title.endswith(" 横向表格"))
    box = PdfReader(str(path)).pages[page - 1].mediabox
    assert box.width > box.height


def _bomb_png(path, width: int, height: int) -> None:
    """A valid PNG header claiming a huge 1-bit image, with a tiny payload: never decoded by the export."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))


@pytest.mark.cjk_font
@pytest.mark.parametrize("limit", [45, 60, 100, 200])
def test_cell_text_breaks_between_chinese_characters_and_never_before_closing_punctuation(limit):
    from exporters.pdf_wrap import NO_LINE_START, LineBreaker

    breaker = LineBreaker(fonts.find_fonts().song, 10)
    text = "建立健全工作机制，明确责任分工（牵头：县食安办），未落实的每项扣 0.5 分。附件 report_final.pdf 已上传。"
    lines = breaker.wrap(text, limit).split("\n")
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(breaker.width(line) <= limit + 0.01 for line in lines)
    assert all(line and line[0] not in NO_LINE_START and not line.startswith(" ") for line in lines[1:])
    if limit >= 100:
        assert any("report_final.pdf" in line for line in lines)  # a Latin word that fits stays whole


@pytest.mark.cjk_font
def test_texts_taller_than_a_page_still_lay_out(tmp_path):
    from archive.catalogue import store_catalogue
    from archive.db import create_archive
    from criteria.model import Catalogue, Criterion

    archive = create_archive(tmp_path / "长.rrdb", "某某县")
    rule = "评分细则内容，" * 1500  # about 15 pages of text in one cell
    units = [f"第{i}责任单位" for i in range(300)]
    store_catalogue(archive, Catalogue("t", [Criterion("1", "很长的标题" * 60, None, 1, rule=rule, units=units)]))
    path = tmp_path / "长.pdf"
    export(archive, "pdf", path, options())
    text = "".join(page_texts(path)).replace("\n", "")
    assert text.count("评分细则内容") >= 1480 and "第299责任单位" in text  # a few are cut by page breaks
    assert len(page_texts(path)) > 15
    archive.close()


@pytest.mark.cjk_font
def test_a_cover_title_a_character_too_long_is_set_smaller_on_one_line(archive, evidence, tmp_path):
    """某某县创建国家食品安全示范城市迎检资料汇编 (21 characters at 22 pt) would leave 编 alone on a second line."""
    populate(archive, evidence)
    path = tmp_path / "汇编.pdf"
    export(archive, "pdf", path, options(title="某某县创建国家食品安全示范城市迎检资料汇编", catalogue_only=True))
    lines = [line.strip() for line in page_texts(path)[0].splitlines()]
    assert "某某县创建国家食品安全示范城市迎检资料汇编" in lines, lines


def test_a_transparent_png_shows_the_page_through_it_not_black(archive, evidence, tmp_path):
    """An electronic seal or a screenshot saved with a transparent background came out as a black square: the
    picture was drawn without its alpha channel."""
    from PIL import Image

    folder = evidence / "1.2 工作方案"
    seal = Image.new("RGBA", (120, 120), (0, 0, 0, 0))
    seal.paste((220, 0, 0, 255), (30, 30, 90, 90))
    seal.save(folder / "电子印章.png")
    populate(archive, evidence)
    path = tmp_path / "汇编.pdf"
    export(archive, "pdf", path, options(codes=["1.2"]))
    drawn = [image for page in PdfReader(str(path)).pages for image in page.images if image.image.size == (120, 120)]
    assert len(drawn) == 1 and "/SMask" in drawn[0].indirect_reference.get_object()
