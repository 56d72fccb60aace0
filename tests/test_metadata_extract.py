"""What files say about themselves, read back from real files: PDF info and XMP (pypdf, pikepdf), Word core
properties and a red-header document (python-docx), JPEG EXIF with GPS (Pillow), text files in GB18030, and file
names with 文号 and dates in every style. Broken files give no values and never an exception."""

from __future__ import annotations

import zipfile
from datetime import date
from xml.etree import ElementTree

import pytest
from metadata_support import (
    RED_HEADER,
    docx_with,
    docx_with_tables,
    docx_with_text_box,
    jpeg_with_exif,
    pdf_with_info,
    pdf_with_object_streams,
    values,
)

from archive.metadata import pdfmeta, text
from archive.metadata.extract import extract


def origins(found: dict) -> dict[str, str]:
    return {key: origin for key, (_, origin) in found.items()}


# -- names ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "number"), [
    ("X政发〔2024〕12号关于印发工作方案的通知", "X政发〔2024〕12号"),
    ("某办[2024]3号 会议纪要", "某办〔2024〕3号"),
    ("市监食生（2024）第5号", "市监食生〔2024〕5号"),
    ("食安办［2021］8号评价细则", "食安办〔2021〕8号"),
    ("关于成立领导小组的通知（X办〔2024〕3号）", "X办〔2024〕3号"),
    ("关于转发省食安办〔2024〕3号文件的通知", "省食安办〔2024〕3号"),
    ("2024年第一次会议纪要", ""),
    ("材料000123", ""),
])
def test_document_numbers_in_every_bracket_style(name, number):
    assert text.doc_number(name) == number


@pytest.mark.parametrize(("name", "day"), [
    ("2024年3月5日 培训", date(2024, 3, 5)),
    ("二〇二四年三月五日会议纪要", date(2024, 3, 5)),
    ("二〇二四年十二月三十一日", date(2024, 12, 31)),
    ("督查通报2024.3.5", date(2024, 3, 5)),
    ("2024-03-05检查", date(2024, 3, 5)),
    ("2024/3/5", date(2024, 3, 5)),
    ("20240305 关于开展检查的通知", date(2024, 3, 5)),
    ("IMG_20240305_143012", date(2024, 3, 5)),
])
def test_dates_in_every_style(name, day):
    assert [found for _, _, found in text.find_dates(name)] == [day]


@pytest.mark.parametrize("name", ["2024年2月30日", "20241301材料", "v1.2.3 说明", "编号 12345678", "2024年3月"])
def test_what_only_looks_like_a_date_is_none(name):
    assert text.find_dates(name) == []


@pytest.mark.parametrize(("stem", "photo", "expected"), [
    ("6.1.1-1 20240305 关于开展检查的通知", False, {"date": "2024-03-05", "title": "关于开展检查的通知"}),
    ("X政发〔2024〕12号 关于印发工作方案的通知", False,
     {"doc_no": "X政发〔2024〕12号", "title": "关于印发工作方案的通知"}),
    ("关于成立领导小组的通知（X办〔2024〕3号）", False,
     {"doc_no": "X办〔2024〕3号", "title": "关于成立领导小组的通知"}),
    ("关于2024年3月5日会议的纪要", False, {"date": "2024-03-05", "title": "关于2024年3月5日会议的纪要"}),
    ("创建工作方案 - 副本", False, {"title": "创建工作方案"}),
    ("（2）现场检查", False, {"title": "现场检查"}),
    ("某县市场监督管理局关于印发2024年抽检计划的通知", False,
     {"title": "某县市场监督管理局关于印发2024年抽检计划的通知", "issuer": "某县市场监督管理局"}),
    ("转发市局关于开展检查的通知", False, {"title": "转发市局关于开展检查的通知"}),
    ("IMG_20240305_143012", True, {"time": "2024-03-05 14:30:12"}),
    ("微信图片_20240305143012", True, {"time": "2024-03-05 14:30:12"}),
    ("Screenshot_2024-03-05-14-30-12-123_com.tencent.mm", True, {"time": "2024-03-05 14:30:12"}),
    ("屏幕截图 2024-03-05 143012", True, {"time": "2024-03-05 14:30:12"}),
    # WeChat's saved pictures: milliseconds since 1970, read as a phone in China shows them (UTC+8), whatever TZ
    ("mmexport1709620212000", True, {"time": "2024-03-05 14:30:12"}),
    ("mmexport1709620212000(1)", True, {"time": "2024-03-05 14:30:12"}),
    ("wx_camera_1709568000000", True, {"time": "2024-03-05 00:00:00"}),
    ("mmexport17096202", True, {}),
    ("校园食堂检查2024.3.5", True, {"time": "2024-03-05", "title": "校园食堂检查", "subject": "校园食堂检查"}),
])
def test_what_a_file_name_says(stem, photo, expected):
    assert text.name_fields(stem, photo) == expected


@pytest.mark.parametrize("stem", [
    "扫描件001", "扫描件 (2)", "扫描全能王 2024-05-20 10.15", "扫描0003", "新建 Microsoft Word 文档",
    "新建 Microsoft Excel 工作表 (2)", "新建 XLSX 工作表", "新建文本文档", "文档1", "未命名-1",
    "无标题文档", "图片1", "附件2", "QQ图片20240305143012", "CamScanner 05-20-2024 10.15"])
def test_a_name_a_program_or_scanner_gave_is_no_title(stem):
    """What a scanner or "新建" called the file says nothing of what it is: the 题名 is left for the clerk to type
    (its date still counts)."""
    assert "title" not in text.name_fields(stem, False)
    assert text.name_fields("扫描全能王 2024-05-20 10.15", False) == {"date": "2024-05-20"}


@pytest.mark.parametrize(("stem", "title"), [("扫描件-关于成立领导小组的通知", "扫描件-关于成立领导小组的通知"),
                                             ("附件1：创建工作任务分解表", "附件1：创建工作任务分解表"),
                                             ("新建农贸市场验收工作方案", "新建农贸市场验收工作方案"),
                                             ("图片资料汇编", "图片资料汇编")])
def test_a_title_that_only_begins_like_a_placeholder_stays(stem, title):
    assert text.name_fields(stem, False)["title"] == title


# -- documents -----------------------------------------------------------------------------------------------------
def test_a_pdf_info_dictionary_gives_title_and_issuing_body(tmp_path):
    path = pdf_with_info(tmp_path / "scan.pdf", title="关于开展食品安全检查的通知", author="某某县市场监督管理局")
    assert extract(str(path), "pdf") == {"title": ("关于开展食品安全检查的通知", "props"),
                                         "issuer": ("某某县市场监督管理局", "props")}


def test_placeholders_and_persons_are_not_taken(tmp_path):
    path = pdf_with_info(tmp_path / "20240305 检查通报.pdf", title="Microsoft Word - 文档1.docx", author="张三")
    assert values(extract(str(path), "pdf")) == {"date": "2024-03-05", "title": "检查通报"}  # from the name only
    path = pdf_with_info(tmp_path / "b.pdf", title="Microsoft Word - 关于督查的通报.docx", author="Administrator")
    assert values(extract(str(path), "pdf")) == {"title": "关于督查的通报"}


def test_xmp_comes_before_the_info_dictionary(tmp_path):
    path = pdf_with_info(tmp_path / "x.pdf", title="旧的信息字典题名", xmp_title="关于XMP题名的通知",
                         xmp_creator="某某县农业农村局")
    assert extract(str(path), "pdf") == {"title": ("关于XMP题名的通知", "xmp"), "issuer": ("某某县农业农村局", "xmp")}


def test_an_encrypted_pdf_and_one_with_object_streams_are_read_by_pypdf(tmp_path):
    protected = pdf_with_info(tmp_path / "p.pdf", title="加密文件的题名", author="某某县教育局",
                              owner_password="owner")
    packed = pdf_with_object_streams(tmp_path / "o.pdf", "对象流中的题名", "某某县卫生健康局")
    for path in (protected, packed):  # the quick path gives up on both: the full reader must have done it
        with pytest.raises(pdfmeta.NotPlain):
            pdfmeta._info_fast(pdfmeta.read_ends(str(path)))
    assert values(extract(str(protected), "pdf")) == {"title": "加密文件的题名", "issuer": "某某县教育局"}
    assert values(extract(str(packed), "pdf")) == {"title": "对象流中的题名", "issuer": "某某县卫生健康局"}


def test_info_strings_as_chinese_programs_write_them(tmp_path):
    """GBK bytes where PDFDocEncoding belongs, with nested parentheses, octal escapes and a line continuation; a
    hexadecimal UTF-16 string."""
    gbk = lambda text: text.encode("gbk")  # noqa: E731
    title = gbk("关于(第一批)") + b"\\050" + gbk("复查") + b"\\051\\\n" + gbk("检查的通知")
    author = "某某县市场监督管理局".encode("utf-16-be").hex().upper()
    body = (b"%PDF-1.4\n1 0 obj\n<< /Title (" + title + b") /Author <FEFF" + author.encode()
            + b"> >>\nendobj\ntrailer\n<< /Root 2 0 R /Info 1 0 R >>\n%%EOF\n")
    path = tmp_path / "a.pdf"
    path.write_bytes(body)
    assert values(extract(str(path), "pdf")) == {"title": "关于(第一批)(复查)检查的通知",
                                                 "issuer": "某某县市场监督管理局"}


def test_a_red_header_document_gives_its_header_number_title_and_signature(tmp_path):
    path = docx_with(tmp_path / "a.docx", RED_HEADER, title="Microsoft Word - 文档1.docx", author="Administrator")
    assert extract(str(path), "docx") == {
        "secret": ("秘密", "text"), "issuer": ("某某县食品安全委员会办公室", "text"),
        "doc_no": ("某食安办〔2024〕3号", "text"),
        "title": ("关于印发《某某县2024年食品安全重点工作安排》的通知", "text"), "date": ("2024-03-05", "text")}


@pytest.mark.parametrize(("lines", "expected"), [
    # a title in full official form names its issuer first, here on a line of its own
    (["某某县市场监督管理局", "关于开展校园食品安全专项检查的通知", "各市场监管所：", "正文。"],
     {"issuer": "某某县市场监督管理局", "title": "某某县市场监督管理局关于开展校园食品安全专项检查的通知"}),
    # not a body forwarded, nor one of two issuing jointly
    (["转发某某市市场监督管理局关于开展", "校园食品安全专项检查的通知", "各所：", "正文。"],
     {"title": "转发某某市市场监督管理局关于开展校园食品安全专项检查的通知"}),
    (["县市场监管局、县教育局关于开展", "校园食堂检查的通知", "各学校：", "正文。"],
     {"title": "县市场监管局、县教育局关于开展校园食堂检查的通知"}),
    # a 落款 on one line: the body, spaces, the date
    (["情况说明", "正文。", "某某县市场监督管理局　　　　2024年3月5日"],
     {"title": "情况说明", "issuer": "某某县市场监督管理局", "date": "2024-03-05"}),
    # a date inside the last sentence is no 落款
    (["情况说明", "正文。", "本次检查于2024年3月5日结束"], {"title": "情况说明"}),
    # a joint document (联合行文): its bodies stacked over "文件", and signing side by side
    (["某县食品安全委员会办公室", "某县市场监督管理局", "文件", "某食安办〔2024〕3号",
      "关于开展校园食品安全专项检查的通知", "各乡镇：", "正文。",
      "某县食品安全委员会办公室　　　　某县市场监督管理局", "2024年5月20日"],
     {"issuer": "某县食品安全委员会办公室、某县市场监督管理局", "doc_no": "某食安办〔2024〕3号",
      "title": "关于开展校园食品安全专项检查的通知", "date": "2024-05-20"}),
    # the last body's line ending in 文件, and the 落款's bodies one a line
    (["某县食品安全委员会办公室", "某县教育局文件", "某食安办〔2024〕4号", "关于开展校园食堂检查的通知", "各学校：",
      "正文。", "某县食品安全委员会办公室", "某县教育局", "2024年5月21日"],
     {"issuer": "某县食品安全委员会办公室、某县教育局", "doc_no": "某食安办〔2024〕4号",
      "title": "关于开展校园食堂检查的通知", "date": "2024-05-21"}),
    # a header of the body's name alone (a 函), and a body's name that begins a title (a 纪要) are no joint header
    (["某县人民政府办公室", "某政办函〔2024〕9号", "关于商请支持创建工作的函", "某局：", "正文。"],
     {"issuer": "某县人民政府办公室", "doc_no": "某政办函〔2024〕9号", "title": "关于商请支持创建工作的函"}),
    (["某县食品安全委员会", "会议纪要", "第3期", "2024年6月1日，县食安委召开全体会议。"],
     {"title": "某县食品安全委员会会议纪要"}),
    # as a government website publishes a document (and offices save it from there): the 文号 under the title
    (["关于印发农药兽药残留专项整治方案的通知", "某农发〔2024〕8号", "各乡镇农业站：", "正文。"],
     {"title": "关于印发农药兽药残留专项整治方案的通知", "doc_no": "某农发〔2024〕8号"}),
    (["某某县农业农村局", "关于印发农药兽药残留专项整治方案的通知", "（某农发[2024]8号）", "各乡镇农业站：", "正文。",
      "某某县农业农村局", "2024年3月1日"],
     {"title": "某某县农业农村局关于印发农药兽药残留专项整治方案的通知", "doc_no": "某农发〔2024〕8号",
      "issuer": "某某县农业农村局", "date": "2024-03-01"}),
    # a title's second line naming another document's 文号 is still the title
    (["关于转发", "省食安办〔2024〕3号文件的通知", "各乡镇：", "正文。"],
     {"title": "关于转发省食安办〔2024〕3号文件的通知"}),
])
def test_issuer_and_date_where_offices_put_them(tmp_path, lines, expected):
    path = docx_with(tmp_path / "a.docx", lines)
    assert values(extract(str(path), "docx")) == expected


NOTICE = ["某县食品安全委员会办公室文件", "某食安办〔2024〕5号",
          "关于印发某县创建国家食品安全示范城市任务分工方案的通知", "各乡镇人民政府，县直有关单位：",
          "现将《任务分工方案》印发给你们，请认真贯彻落实。", "附件：任务分工方案"]
NOTICE_READ = {"issuer": "某县食品安全委员会办公室", "doc_no": "某食安办〔2024〕5号",
               "title": "关于印发某县创建国家食品安全示范城市任务分工方案的通知", "date": "2024-03-05"}
PLAN = ["附件", "某县创建国家食品安全示范城市任务分工方案"] + [
    f"第{n}条 各单位要按照职责分工落实创建任务，确保各项指标达到创建标准要求。" for n in range(1, 21)]
TASKS = [["任务", "牵头单位", "完成时限"], ["农残快检", "县农业农村局", "2024年6月30日"],
         ["校园食堂", "县教育局", "2024年9月1日"], ["网络订餐", "县市场监督管理局", "2024年12月31日"]]


@pytest.mark.parametrize(("parts", "expected"), [
    # 关于印发 a plan: the notice signs before the plan it carries, whose text ends the file
    ([*NOTICE, "某县食品安全委员会办公室", "2024年3月5日", None, *PLAN], NOTICE_READ),
    # the plan ends with its table of tasks: its last deadline is no 成文日期 (it was taken for one)
    ([*NOTICE, "某县食品安全委员会办公室", "2024年3月5日", None, *PLAN[:3], TASKS], NOTICE_READ),
    # the date set right with ideographic spaces after it, as typed without a template
    ([*NOTICE, "某县食品安全委员会办公室", "2024年3月5日\u3000\u3000\u3000\u3000", None, *PLAN], NOTICE_READ),
    # a ledger: its rows' units and days are no 落款
    (["某县2024年农贸市场快检台账", TASKS], {"title": "某县2024年农贸市场快检台账"}),
    # a table of units right above the 落款: they are no co-signers
    (["关于创建工作任务分工的说明", "各单位分工如下：", TASKS, "某县食品安全委员会办公室", "2024年3月5日"],
     {"title": "关于创建工作任务分工的说明", "issuer": "某县食品安全委员会办公室", "date": "2024-03-05"}),
    # joint signers side by side in a borderless table, the date under them: a 落款 laid out in a table
    (["关于开展校园食品安全专项检查的通知", "各乡镇：", "正文。",
      [["某县食品安全委员会办公室", "某县市场监督管理局"], ["", "2024年5月20日"]]],
     {"title": "关于开展校园食品安全专项检查的通知", "issuer": "某县食品安全委员会办公室、某县市场监督管理局",
      "date": "2024-05-20"}),
    # the 落款 set right in a one-row table: the body and, after a line break, the date in its right-hand cell
    (["关于开展校园食品安全专项检查的通知", "各乡镇：", "正文。", [["", "某县市场监督管理局\n2024年5月20日"]]],
     {"title": "关于开展校园食品安全专项检查的通知", "issuer": "某县市场监督管理局", "date": "2024-05-20"}),
    # a table of units and their deadlines is none (two dates), nor one with a task's name in it
    (["某县2024年检查台账", [["县市场监督管理局", "2024年6月30日"], ["县教育局", "2024年9月1日"]]],
     {"title": "某县2024年检查台账"}),
    # a date under a line that names no body is no 落款; the one under the body is
    (["情况说明", "检查时间", "2024年3月1日", "正文。", "某县市场监督管理局", "2024年3月5日", None, *PLAN],
     {"title": "情况说明", "issuer": "某县市场监督管理局", "date": "2024-03-05"}),
])
def test_the_documents_own_signature_not_what_it_carries(tmp_path, parts, expected):
    path = docx_with_tables(tmp_path / "a.docx", parts)
    assert values(extract(str(path), "docx")) == expected


def test_a_red_header_in_a_text_box_is_read_once(tmp_path):
    """Word keeps a text box twice (a shape and its VML copy for older readers): read both, the 发文机关标志 came
    twice and ran into the title (某某县人民政府文件某政发〔2024〕12号关于印发…), and no 文号 was found."""
    path = docx_with_text_box(tmp_path / "a.docx", "某某县人民政府文件",
                              ["某政发〔2024〕12号", "关于印发某某县创建国家食品安全示范城市", "工作方案的通知",
                               "各乡镇人民政府：", "现将方案印发给你们。", "某某县人民政府", "2024年3月5日"])
    assert extract(str(path), "docx") == {
        "issuer": ("某某县人民政府", "text"), "doc_no": ("某政发〔2024〕12号", "text"),
        "title": ("关于印发某某县创建国家食品安全示范城市工作方案的通知", "text"), "date": ("2024-03-05", "text")}
    with zipfile.ZipFile(path) as docx:  # a well-formed document, both copies in it
        body = docx.read("word/document.xml")
    assert ElementTree.fromstring(body) is not None and body.count("某某县人民政府文件".encode()) == 2


def test_word_core_properties_and_company(tmp_path):
    path = docx_with(tmp_path / "plain.docx", ["正文第一段，没有标题。"], title="创建工作领导小组名单",
                     author="李四", company="某某县市场监督管理局")
    assert extract(str(path), "docx") == {"title": ("创建工作领导小组名单", "props"),
                                          "issuer": ("某某县市场监督管理局", "props")}


def test_a_text_file_in_gb18030(tmp_path):
    path = tmp_path / "通知.txt"
    path.write_bytes("\n".join(RED_HEADER[3:]).encode("gb18030"))
    assert values(extract(str(path), "txt")) == {
        "issuer": "某某县食品安全委员会办公室", "doc_no": "某食安办〔2024〕3号",
        "title": "关于印发《某某县2024年食品安全重点工作安排》的通知", "date": "2024-03-05"}


# -- photos --------------------------------------------------------------------------------------------------------
def test_a_photo_gives_time_position_caption_and_orientation(tmp_path):
    path = jpeg_with_exif(tmp_path / "IMG_0001.jpg", taken="2024:03:05 14:30:12", latitude=(30, 16, 26.76),
                          longitude=(120, 9, 18.36), orientation=6, subject="校园食堂检查", author="王五",
                          comment="第二次检查")
    assert values(extract(str(path), "jpg")) == {
        "time": "2024-03-05 14:30:12", "place": "北纬30.274100°，东经120.155100°", "subject": "校园食堂检查",
        "photographer": "王五", "note": "第二次检查", "orientation": "6"}
    assert set(origins(extract(str(path), "jpg")).values()) == {"exif"}


def test_exif_text_from_chinese_software_and_camera_boilerplate(tmp_path):
    path = jpeg_with_exif(tmp_path / "食堂后厨 20240306.jpg", description="食堂后厨".encode("gbk"),
                          latitude=(-33, 52, 4.0), longitude=(-151, 12, 26.0))
    assert values(extract(str(path), "jpg")) == {
        "subject": "食堂后厨", "place": "南纬33.867778°，西经151.207222°", "time": "2024-03-06", "title": "食堂后厨"}
    camera = jpeg_with_exif(tmp_path / "DSC01234.jpg", description=b"OLYMPUS DIGITAL CAMERA")
    assert extract(str(camera), "jpg") == {}


# -- damaged files ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "kind", "data"), [
    ("X政发〔2024〕12号.pdf", "pdf", b"%PDF-1.4\n1 0 obj << /Title (x"),
    ("X政发〔2024〕12号.pdf", "pdf", b"%PDF-1.7\ntrailer << /Info 9 0 R >>\n9 0 obj << /Title 12 0 R /Author <zz"),
    ("X政发〔2024〕12号.docx", "docx", b"PK\x03\x04 not really a zip"),
    ("X政发〔2024〕12号.jpg", "jpg", b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00II*\x00\x08"),
    ("X政发〔2024〕12号.txt", "txt", b"\xff\xfe\x00\xd8 broken"),
])
def test_a_damaged_file_gives_only_its_name(tmp_path, name, kind, data):
    path = tmp_path / name
    path.write_bytes(data)
    assert values(extract(str(path), kind)) == {"doc_no": "X政发〔2024〕12号"}


def test_a_file_that_vanished_gives_only_its_name(tmp_path):
    assert values(extract(str(tmp_path / "2024.3.5 会议.pdf"), "pdf")) == {"date": "2024-03-05", "title": "会议"}
