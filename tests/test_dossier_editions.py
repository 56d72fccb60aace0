"""Issue 18 read back from the PDF: what each edition shows, scores left out on request, no glyph printed as a box,
a real CreationDate, file-name fallbacks for 题名/日期, and nothing drawn beyond the GB/T 9704 type area."""

from __future__ import annotations

import struct

from export_helpers import jpeg, options, page_texts, populate
from metadata_support import jpeg_with_exif
from pypdf import PdfReader

from archive.assignments import assign
from archive.metadata.period import save_period
from exporters import export, plan_export
from exporters.file_fields import fields_from_name
from exporters.pdf_merge import attachment_area
from exporters.pdf_styles import MARGINS

# 完成时限: the office's schedule for its departments, which a task-breakdown table now fills for every item
INTERNAL_ONLY = ("缺项清单", "确认情况", "张三", "材料状态", "附录一", "SHA-256", "内部版", "完成时限", "2026-06-30")


def _text(path) -> str:
    return "".join("".join(page.split()) for page in page_texts(path))


def test_review_edition_hides_the_office_work_internal_keeps_it(archive, evidence, tmp_path):
    populate(archive, evidence)
    assign(archive, "1.1", due="2026-06-30")
    review, internal = tmp_path / "送审.pdf", tmp_path / "内部.pdf"
    export(archive, "pdf", review, options())
    export(archive, "pdf", internal, options(edition="internal"))
    review_text, internal_text = _text(review), _text(internal)
    for word in INTERNAL_ONLY:
        assert word not in review_text, word
        assert word in internal_text, word
    for word in ("自评情况", "自评得分", "项目类别", "佐证材料目录", "编制说明", "备考表", "送审版"):
        assert word in review_text, word


def test_no_scores_leaves_scores_out(archive, evidence, tmp_path):
    populate(archive, evidence)
    path = tmp_path / "无分.pdf"
    export(archive, "pdf", path, options(scores=False))
    text = _text(path)
    assert "自评得分" not in text and "扣分说明" not in text and "自评情况" not in text and "项目类别" in text


def test_emoji_written_by_name_and_creation_date_real(archive, evidence, tmp_path):
    jpeg(evidence / "1.2 工作方案" / "培训现场😀.jpg")
    populate(archive, evidence)
    path = tmp_path / "汇编.pdf"
    export(archive, "pdf", path, options())
    assert "培训现场[GRINNINGFACE]" in _text(path)
    assert PdfReader(str(path)).metadata["/CreationDate"].startswith("D:20240501100000")


def test_text_stays_inside_the_type_area(archive, evidence, tmp_path):
    """Every glyph of the body (header and page number aside) lies within the 37/35/28/26 mm margins."""
    populate(archive, evidence)
    path = tmp_path / "汇编.pdf"
    export(archive, "pdf", path, options())
    reader = PdfReader(str(path))
    area = attachment_area((595.27, 841.89))
    assert area[0] >= MARGINS["left"] and area[0] + area[2] <= 595.27 - MARGINS["right"] + 0.01
    for number, page in enumerate(reader.pages):
        if "附件 " in (page.extract_text() or ""):
            continue  # an attached page: pypdf reports its text in the form's own space; its area is checked above
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        outside = []

        def visit(text, cm, tm, font, size, outside=outside, width=width, height=height):
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            in_header = y > height - MARGINS["top"] or y < MARGINS["bottom"]  # running header, page number
            if text.strip() and not in_header and not (MARGINS["left"] - 1 <= x <= width - MARGINS["right"]):
                outside.append((text, round(x), round(y)))

        page.extract_text(visitor_text=visit)
        assert not outside, (number + 1, outside[:3])


def test_a_photo_dated_outside_the_period_is_embedded_and_only_the_office_is_told(archive, evidence, tmp_path):
    """The period's warning is the office's: the export plan and the 内部版's 备注 carry it, the 送审版 says nothing of
    it, and the sound photo is embedded in both (it was left out as if damaged, with "未附入：日期不在创建周期内" for
    the review team to read)."""
    jpeg_with_exif(evidence / "1.2 工作方案" / "IMG_0002.jpg", taken="2023:11:02 15:00:00")
    populate(archive, evidence)
    save_period(archive, "2024-01-01", "2026-06-30")
    warned = [line for line in plan_export(archive, "pdf", options()).lines() if "创建周期" in line]
    assert len(warned) == 1 and warned[0].startswith("1 个文件的日期不在创建周期内") and "IMG_0002" in warned[0]
    review, internal = tmp_path / "送审.pdf", tmp_path / "内部.pdf"
    export(archive, "pdf", review, options())
    export(archive, "pdf", internal, options(edition="internal"))
    assert "日期不在创建周期内" not in _text(review) and "未附入：日期" not in _text(review)
    assert "日期不在创建周期内（时间2023-11-02" in _text(internal)
    for path in (review, internal):
        assert sum(len(page.images) for page in PdfReader(str(path)).pages) == 2, path  # both photos


def test_a_photo_named_by_its_camera_has_no_reason_until_one_is_typed(archive, evidence, tmp_path):
    """事由 is what the photo shows: a typed or read one, a title the clerk typed, the clerk's own file name
    ("现场照片"); never a camera's name ("IMG_0002" was printed as the 事由 of every photo left uncaptioned). The
    export plan counts the photos left without one."""
    from archive.metadata.store import set_values

    jpeg_with_exif(evidence / "1.2 工作方案" / "IMG_0002.jpg", taken="2024:05:20 09:15:00")
    jpeg_with_exif(evidence / "1.2 工作方案" / "DSC_0003.jpg", taken="2024:05:20 09:16:00")
    populate(archive, evidence)
    third, = (file_id for file_id, path in archive.conn.execute("SELECT id, path FROM files")
              if path.endswith("DSC_0003.jpg"))
    set_values(archive, [third], {"title": "食堂后厨检查"})
    assert any(line.startswith("1 张照片没有填写事由") for line in plan_export(archive, "pdf", options()).lines())
    path = tmp_path / "汇编.pdf"
    export(archive, "pdf", path, options())
    text = _text(path)
    assert "事由：IMG_0002" not in text and "IMG_0002事由：—时间：2024-05-2009:15:00" in text
    assert "事由：食堂后厨检查" in text and "事由：现场照片" in text


def test_a_photo_named_by_its_camera_is_titled_by_its_reason(archive, evidence, tmp_path):
    """Photos straight from a phone were rows of "IMG_…" in the 佐证材料目录 a reviewer could not tell apart: where the
    clerk gave their 事由, it is their title there and above each picture; a name the clerk gave, and a title typed,
    stay."""
    from archive.metadata.store import set_values

    folder = evidence / "1.2 工作方案"
    names = ("IMG_20240510_093000.jpg", "mmexport1715312345678.jpg", "农贸市场检查.jpg", "DSC_0004.jpg")
    for number, name in enumerate(names, start=1):  # four photos, not one photo four times (tests/test_same_content)
        jpeg_with_exif(folder / name, taken="2024:05:10 09:30:00", maker_note=16 * number)
    populate(archive, evidence)
    ids = dict(archive.conn.execute("SELECT path, id FROM files"))
    photos = [ids[str(folder / name)] for name in ("IMG_20240510_093000.jpg", "mmexport1715312345678.jpg",
                                                    "农贸市场检查.jpg", "DSC_0004.jpg")]
    set_values(archive, photos, {"subject": "城关农贸市场准入检查"})
    set_values(archive, photos[3:], {"title": "快检室现场"})
    path = tmp_path / "汇编.pdf"
    export(archive, "pdf", path, options(codes=["1.2"]))
    text = _text(path)
    assert "IMG_20240510" not in text and "mmexport" not in text
    for title in ("城关农贸市场准入检查", "农贸市场检查", "快检室现场"):  # in the catalogue, and above the picture
        assert f"{title}20240510" in text and f"{title}事由：城关农贸市场准入检查" in text, title


def test_titles_from_names_without_the_clerks_numbering():
    assert fields_from_name("6.1.1-1 创建工作方案.docx").title == "创建工作方案"
    assert fields_from_name("（2）现场照片.jpg").title == "现场照片"
    found = fields_from_name("县食安办〔2024〕3号关于成立领导小组的通知.pdf")
    assert (found.doc_number, found.author) == ("县食安办〔2024〕3号", "县食安办")
    assert fields_from_name("2024年3月5日培训.jpg").date == "20240305"
    assert fields_from_name("会议纪要.txt").date == ""


def test_files_no_dossier_carries_are_named_to_the_office_with_a_way_and_to_reviewers_by_what_they_are(
        archive, tmp_path):
    """A 公示 saved as a web page, a meeting's video, a WeChat voice message and an OA system's export: the plan said
    only "3 个其他类型的文件只列入目录" (which? what to do?), and the review team read the office's instructions
    ("请用 Excel 或 WPS 打开后另存为 .xlsx") in the 送审版's 未附入材料说明."""
    from archive.index.scan import scan
    from archive.links import link

    root = tmp_path / "公示材料"
    root.mkdir()
    (root / "自评报告公示.html").write_text("<!DOCTYPE html><html><body>公示</body></html>", encoding="utf-8")
    (root / "动员大会.mp4").write_bytes(b"\0\0\0\x18ftypmp42" + bytes(64))
    (root / "语音通知.amr").write_bytes(b"#!AMR\n" + bytes(64))
    (root / "台账导出.xlsx").write_text("<html><table><tr><td>台账</td></tr></table></html>", encoding="utf-8")
    iphone = struct.pack(">I", 24) + b"ftypheic\0\0\0\0mif1heic" + bytes(2000)  # no encoder here: its header
    (root / "IMG_0001.HEIC").write_bytes(iphone)
    link(archive, "1.1", [str(root)])
    scan(archive)
    lines = plan_export(archive, "pdf", options()).lines()
    [listed] = [line for line in lines if "只列入目录、不附入原文" in line]
    assert listed.startswith("4 个文件只列入目录")
    assert any(line.endswith("嵌入 0 张图片") for line in lines)  # the iPhone photo is not one of them
    for words in ("网页文件 1 个（可在浏览器中打印为 PDF，与原件放在一起）", "视频文件 1 个（可截取画面存为图片",
                  "HEIC/HEIF 格式的照片 1 个（可在手机或电脑上另存为 JPEG", "IMG_0001",
                  "音频文件 1 个（可附文字记录或说明", "自评报告公示", "动员大会", "语音通知"):
        assert words in listed, words
    [problem] = [line for line in lines if line.startswith("1 个有问题的文件")]
    assert "台账导出" in problem
    target = tmp_path / "送审.pdf"
    export(archive, "pdf", target, options())
    text = _text(target)
    assert "未附入材料说明" in text
    for words in ("网页文件", "视频文件", "音频文件", "实际为网页（HTML）表格，常见于办公系统的“导出”",
                  "HEIC/HEIF格式的照片，未嵌入"):
        assert words in text, words
    for words in ("请用Excel", "另存为", "打印为PDF", "截取画面", "暂不支持"):
        assert words not in text, words
    [word_line] = [line for line in plan_export(archive, "docx", options()).lines() if "只列入目录、不附入原文" in line]
    assert word_line.startswith("1 个文件") and "HEIC/HEIF 格式的照片 1 个" in word_line  # the rest: listed anyway
