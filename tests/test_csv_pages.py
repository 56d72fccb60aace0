"""CSV ledgers (as Excel saves "CSV (逗号分隔)" on a Chinese Windows: GB18030/GBK, CRLF, a field with a comma quoted;
or a system's UTF-8 export with a BOM and tabs) are set as a table and attached to the PDF dossier, where they were
only listed as "此类型的文件无法附入"."""

from __future__ import annotations

import pytest
from export_helpers import flat_outline, options, page_texts
from pypdf import PdfReader

from archive.index.scan import scan
from archive.links import link
from exporters import export, plan_export
from exporters.csv_pages import csv_pdf
from exporters.fonts import find_fonts
from exporters.pdf_merge import AttachmentError

pytestmark = pytest.mark.cjk_font
HEADER = "序号,抽检日期,被抽检单位,样品名称,检测项目,检测结果,判定,检测人员"
UNITS = ("城关镇农贸市场张记蔬菜摊", "东街超市", "县第一中学食堂")


def ledger(rows: int) -> str:
    lines = [HEADER] + [f'{n},2024-03-{n % 28 + 1:02d},{UNITS[n % 3]},青菜,"有机磷,氨基甲酸酯",阴性,'
                        f'{"合格" if n % 7 else "不合格，已下架销毁"},王五' for n in range(1, rows + 1)]
    return "\r\n".join(lines) + "\r\n"


def test_a_gbk_ledger_becomes_a_table_with_its_header_on_every_page(tmp_path):
    source = tmp_path / "抽检台账.csv"
    source.write_bytes(ledger(120).encode("gbk"))
    pages = csv_pdf(str(source), str(tmp_path / "台账.pdf"), find_fonts().song)
    reader = PdfReader(str(tmp_path / "台账.pdf"))
    assert pages == len(reader.pages) >= 3
    texts = [page.extract_text() for page in reader.pages]
    assert all("被抽检单位" in text and "检测人员" in text for text in texts)  # the header repeated
    flat = "".join("".join(texts).split())
    assert "城关镇农贸市场张记蔬菜摊" in flat and "有机磷,氨基甲酸酯" in flat  # the quoted comma kept in its cell
    assert flat.count("不合格，已下架销毁") == 120 // 7 and "120" in flat  # every row, none lost at the breaks
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # eight columns: landscape
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    assert fonts and all("/FontFile2" in font["/FontDescriptor"] for font in fonts)  # embedded: no Helvetica


def test_a_utf8_tab_export_a_narrow_one_and_an_empty_one(tmp_path):
    font = find_fonts().song
    (tmp_path / "导出.csv").write_bytes("\ufeff乡镇\t主体\t开具张数\r\n城关镇\t某合作社\t120\r\n".encode())
    csv_pdf(str(tmp_path / "导出.csv"), str(tmp_path / "导出.pdf"), font)
    page = PdfReader(str(tmp_path / "导出.pdf")).pages[0]
    assert "".join(page.extract_text().split()).startswith("乡镇主体开具张数城关镇某合作社120")  # tabs split cells
    (tmp_path / "备注.csv").write_bytes('事项,备注\r\n培训,"第一期\r\n第二期"\r\n'.encode("gbk"))
    csv_pdf(str(tmp_path / "备注.csv"), str(tmp_path / "备注.pdf"), font)
    lines = PdfReader(str(tmp_path / "备注.pdf")).pages[0].extract_text().split("\n")
    assert any(line.endswith("第一期") for line in lines) and "第二期" in lines  # a cell's own line break kept
    assert page.mediabox.width < page.mediabox.height  # three columns: portrait
    (tmp_path / "空.csv").write_bytes(b"\r\n,,\r\n")
    with pytest.raises(AttachmentError, match="表格文件是空的"):
        csv_pdf(str(tmp_path / "空.csv"), str(tmp_path / "空.pdf"), font)


def test_a_cell_taller_than_a_page_and_a_field_too_long_for_csv(tmp_path):
    font = find_fonts().song
    long_cell = "整改情况说明。" * 1500
    (tmp_path / "说明.csv").write_bytes(f"序号,情况说明\r\n1,{long_cell}\r\n2,已完成\r\n".encode("gbk"))
    assert csv_pdf(str(tmp_path / "说明.csv"), str(tmp_path / "说明.pdf"), font) >= 3  # the row goes on, split
    assert "已完成" in PdfReader(str(tmp_path / "说明.pdf")).pages[-1].extract_text()
    (tmp_path / "导出.csv").write_bytes(b'a,b\r\n1,"' + b"x" * 200_000 + b'"\r\n')
    with pytest.raises(AttachmentError, match="表格文件无法按 CSV 读取"):  # listed with its reason, never a stop
        csv_pdf(str(tmp_path / "导出.csv"), str(tmp_path / "导出.pdf"), font)


def test_the_dossier_attaches_a_ledger_and_the_plan_says_so(archive, evidence, tmp_path):
    folder = evidence / "2.1 农残治理" / "1. 快检台账"
    (folder / "3月快检台账.csv").write_bytes(ledger(10).encode("gbk"))
    link(archive, "2.1.1", [str(folder)])
    scan(archive)
    assert "附入 0 个 PDF 文件（约 0 页）、2 个文本文件（排成 PDF 页），嵌入 0 张图片" in plan_export(
        archive, "pdf", options(codes=["2.1.1"])).lines()
    path = tmp_path / "汇编.pdf"
    export(archive, "pdf", path, options(codes=["2.1.1"]))
    marks = flat_outline(path)
    page = next(page for title, (_, page) in marks.items() if title.endswith("3月快检台账"))
    text = "".join(page_texts(path)[page - 1].split())
    assert "城关镇农贸市场张记蔬菜摊" in text and "被抽检单位" in text
    assert "未附入材料说明" not in marks  # the conftest ledger (台账一月.csv) is attached too
