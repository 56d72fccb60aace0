"""Plain text files (会议纪要.txt, as Chinese Windows saves them) are set as pages and attached to the PDF dossier,
where they were only listed as "此类型的文件无法附入"."""

from __future__ import annotations

import pytest
from export_helpers import flat_outline, options, page_texts
from pypdf import PdfReader

from archive.index.scan import scan
from archive.links import link
from exporters import export, plan_export
from exporters.fonts import find_fonts
from exporters.pdf_merge import AttachmentError
from exporters.text_pages import MAX_BYTES, text_pdf

pytestmark = pytest.mark.cjk_font
MINUTES = ("创建工作推进会会议纪要\r\n\r\n时间：2024年3月5日\t地点：县政府三楼会议室\r\n"
           + "会议要求各乡镇按时报送材料。" * 20)


def test_a_gbk_text_is_set_in_lines_that_fit_and_pages_that_follow(tmp_path):
    source = tmp_path / "会议纪要.txt"
    source.write_bytes((MINUTES + "\r\n" + "\r\n".join(f"第{n}项议程" for n in range(1, 80))).encode("gb18030"))
    pages = text_pdf(str(source), str(tmp_path / "纪要.pdf"), find_fonts().song)
    reader = PdfReader(str(tmp_path / "纪要.pdf"))
    assert pages == len(reader.pages) == 3  # 38 lines a page
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "创建工作推进会会议纪要" in text and "地点：县政府三楼会议室" in text and "第79项议程" in text
    lines = text.split("\n")
    assert max(len(line) for line in lines) <= 44  # the 280-character requirement wrapped at the type area
    assert "".join(lines).count("会议要求各乡镇按时报送材料。") == 20  # nothing lost at the breaks
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    assert fonts and all("/FontFile2" in font["/FontDescriptor"] for font in fonts)  # embedded: no Helvetica


def test_utf16_and_empty_text_and_a_text_too_long(tmp_path):
    font = find_fonts().song
    (tmp_path / "u16.txt").write_bytes("记事本另存为 Unicode".encode("utf-16"))
    text_pdf(str(tmp_path / "u16.txt"), str(tmp_path / "u16.pdf"), font)
    assert "记事本另存为 Unicode" in PdfReader(str(tmp_path / "u16.pdf")).pages[0].extract_text()
    (tmp_path / "blank.txt").write_bytes(b" \r\n\t\r\n")
    assert text_pdf(str(tmp_path / "blank.txt"), str(tmp_path / "blank.pdf"), font) == 1
    (tmp_path / "log.txt").write_bytes(b"x" * (MAX_BYTES + 1))
    with pytest.raises(AttachmentError, match="文本文件超过 2 MB，只列入目录"):
        text_pdf(str(tmp_path / "log.txt"), str(tmp_path / "log.pdf"), font)
    (tmp_path / "dump.txt").write_bytes(b"\n".join(b"%d" % n for n in range(12_000)))  # 60 KB, 316 pages
    with pytest.raises(AttachmentError, match=r"文本文件过长（约 316 页），只列入目录"):
        text_pdf(str(tmp_path / "dump.txt"), str(tmp_path / "dump.pdf"), font)


def test_the_dossier_attaches_a_text_file_and_the_plan_says_so(archive, evidence, tmp_path):
    folder = evidence / "1.3 纪要"
    folder.mkdir()
    (folder / "推进会会议纪要.txt").write_bytes(MINUTES.encode("gb18030"))
    link(archive, "1.2", [str(folder)])
    scan(archive)
    assert "附入 0 个 PDF 文件（约 0 页）、1 个文本文件（排成 PDF 页），嵌入 0 张图片" in plan_export(
        archive, "pdf", options(codes=["1.2"])).lines()
    path = tmp_path / "汇编.pdf"
    export(archive, "pdf", path, options(codes=["1.2"]))
    page = flat_outline(path)["1.2-001 创建工作推进会会议纪要"][1]  # the title its first line gives
    text = page_texts(path)[page - 1]
    assert "附件 1.2-001 创建工作推进会会议纪要（第 1/1 页）" in text and "地点：县政府三楼会议室" in text
    assert "未附入材料说明" not in flat_outline(path)  # nothing left out
