"""Issue 8, item 1: every kind of broken or hostile evidence file, made for real. Each one becomes a clear Chinese
problem on that file; the scan indexes everything else, the exports (Word and PDF) go on and list the problem, the
criteria importer refuses a bad table with a message naming the file, and no bomb is ever expanded in memory."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from reliability_support import (
    HTML_AS_PDF,
    docx_bytes,
    encrypted_pdf_bytes,
    hostile_files,
    huge_sheet_xlsx,
    pdf_bytes,
    png_bytes,
    run_measured,
    truncated,
    xlsx_bytes,
)

import archive.index.hashing as hashing
from archive.index.scan import scan
from archive.links import link
from criteria.importers import load_catalogue
from criteria.model import CatalogueError
from departments.safezip import name_problem
from exporters import ExportOptions, export
from tests.export_helpers import catalogue_remarks

MEMORY_BOUND_MB = 400  # the zip bomb alone inflates to 500 MB: expanding it cannot stay under this


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    return hostile_files(tmp_path_factory.mktemp("bombs"))


# name -> (content, what the problem says); the bombs come from the module fixture
BROKEN = {
    "截断的通知.pdf": (lambda: truncated(pdf_bytes(3)), "PDF 文件已损坏"),
    "截断的方案.docx": (lambda: truncated(docx_bytes()), "Word 文件已损坏"),
    "截断的台账.xlsx": (lambda: truncated(xlsx_bytes()), "Excel 文件已损坏"),
    "传了一半的截图.png": (lambda: truncated(png_bytes()), "图片文件不完整（文件末尾缺失，可能复制或下载时中断）"),
    "空白的通知.pdf": (lambda: b"", "空文件（0 字节）"),
    "空白的方案.docx": (lambda: b"", "空文件（0 字节）"),
    "空白的台账.xlsx": (lambda: b"", "空文件（0 字节）"),
    "其实是网页.pdf": (lambda: HTML_AS_PDF, "内容与扩展名不符：扩展名为 .pdf，实际为网页（HTML），可能是下载失败"),
    "加密的通知.pdf": (lambda: encrypted_pdf_bytes(), "PDF 已加密"),
}
BOMB_PROBLEMS = {
    "压缩炸弹.docx": "Word 文件解压后达 500 MB，疑似压缩炸弹",
    "压缩炸弹表格.xlsx": "Excel 文件解压后达 200 MB，疑似压缩炸弹",
    "实体炸弹.docx": "Word 文件含有 DTD 声明",
    "实体炸弹表格.xlsx": "Excel 文件含有 DTD 声明",
    "像素炸弹.png": "图片声明的尺寸异常（60000×60000 像素）",
}
GOOD = {"完好的通知.pdf": lambda: pdf_bytes(2), "完好的方案.docx": docx_bytes, "完好的台账.xlsx": xlsx_bytes,
        "现场照片.png": png_bytes, "说明.txt": lambda: "正文".encode()}


@pytest.fixture
def hostile_tree(tmp_path, bombs) -> Path:
    root = tmp_path / "证明材料" / "1.1 领导小组"
    root.mkdir(parents=True)
    for name, (make, _) in BROKEN.items():
        (root / name).write_bytes(make())
    for name, make in GOOD.items():
        (root / name).write_bytes(make())
    for name, path in bombs.items():
        shutil.copyfile(path, root / name)
    return root


def problems_by_name(result) -> dict[str, str]:
    return {os.path.basename(p["path"]): p["problem"] for p in result.problems}


def test_each_broken_or_hostile_file_is_a_problem_on_that_file_and_the_rest_is_indexed(archive, hostile_tree):
    link(archive, "1.1", [str(hostile_tree)])
    result = scan(archive)
    found = problems_by_name(result)
    expected = {name: why for name, (_, why) in BROKEN.items()} | BOMB_PROBLEMS
    assert set(found) == set(expected)
    for name, why in expected.items():
        assert why in found[name], (name, found[name])
    assert result.files == len(BROKEN) + len(BOMB_PROBLEMS) + len(GOOD)  # every file indexed, broken or not
    rows = {os.path.basename(path): (pages, problem) for path, pages, problem in
            archive.conn.execute("SELECT path, pages, problem FROM files")}
    assert rows["完好的通知.pdf"] == (2, None) and rows["完好的方案.docx"][1] is None
    assert all(rows[name][1] is None for name in GOOD)


def pdf_text(path: Path) -> str:
    """The PDF's text in drawing order with line breaks removed, so a remark wrapped in a narrow cell reads whole."""
    done = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(done.stdout.split())


@pytest.mark.cjk_font
def test_word_and_pdf_exports_go_on_and_list_every_problem(archive, hostile_tree, tmp_path):
    link(archive, "1.1", [str(hostile_tree)])
    scan(archive)
    expected = {name: why for name, (_, why) in BROKEN.items()} | BOMB_PROBLEMS
    word = export(archive, "docx", tmp_path / "汇编.docx", ExportOptions())
    remarks = catalogue_remarks(word.path)
    for name, why in expected.items():
        assert why in remarks[Path(name).stem], (name, remarks[Path(name).stem])
    # the good files (their 题名 may come from their own text) are the rows without a remark
    assert sum(1 for remark in remarks.values() if remark) == len(expected)
    assert sum(1 for remark in remarks.values() if not remark) >= len(GOOD)
    pdf = export(archive, "pdf", tmp_path / "汇编.pdf", ExportOptions())
    text = pdf_text(pdf.path)
    for why in expected.values():
        assert "".join(why.split()) in text, why
    assert "Evidencepage1" in text and "Evidencepage2" in text  # the sound PDF's two pages are attached
    # files with a problem are listed, never opened: no bomb reached Pillow or LibreOffice
    assert not any("炸弹" in warning for warning in word.warnings + pdf.warnings)


@pytest.mark.parametrize(("name", "make", "why"), [
    ("截断的细则.xlsx", lambda bombs: truncated(xlsx_bytes()), "文件已损坏"),
    ("空白的细则.xlsx", lambda bombs: b"", "文件已损坏"),
    ("截断的细则.docx", lambda bombs: truncated(docx_bytes()), "文件已损坏"),
    ("空白的细则.docx", lambda bombs: b"", "文件已损坏"),
    ("其实是网页.xlsx", lambda bombs: HTML_AS_PDF, "实际是网页（HTML），不是 .xlsx 文件，其中也没有表格"),
    ("其实是PDF.docx", lambda bombs: pdf_bytes(1), "不是 Word 文档"),
    ("压缩炸弹.docx", lambda bombs: bombs["压缩炸弹.docx"].read_bytes(), "解压后达 500 MB"),
    ("压缩炸弹表格.xlsx", lambda bombs: bombs["压缩炸弹表格.xlsx"].read_bytes(), "解压后达 200 MB"),
    ("实体炸弹.docx", lambda bombs: bombs["实体炸弹.docx"].read_bytes(), "文件已损坏"),
    ("实体炸弹表格.xlsx", lambda bombs: bombs["实体炸弹表格.xlsx"].read_bytes(), "文件已损坏"),
    ("乱码.csv", lambda bombs: b"\xff\xfe\x00\x81" * 100, "无法识别文件编码"),
    ("误选的数据导出.xlsx", lambda bombs: huge_sheet_xlsx(), "远超评价细则表格应有的大小"),  # 350,000 cells
])
def test_the_criteria_importer_refuses_a_bad_table_naming_the_file(tmp_path, bombs, name, make, why):
    (tmp_path / name).write_bytes(make(bombs))
    with pytest.raises(CatalogueError) as refused:
        load_catalogue(tmp_path / name)
    assert str(refused.value).startswith(f"无法导入“{name}”：") and why in str(refused.value), str(refused.value)


@pytest.mark.cjk_font
@pytest.mark.slow
def test_bombs_are_never_expanded_memory_stays_bounded(tmp_path, bombs):
    """Scan, both exports and the importer over every bomb, in a fresh interpreter whose peak RSS is measured."""
    folder = tmp_path / "材料"
    folder.mkdir()
    for name, path in bombs.items():
        shutil.copyfile(path, folder / name)
    body = f"""
from pathlib import Path
from archive.catalogue import store_catalogue
from archive.db import create_archive
from archive.links import link
from archive.index.scan import scan
from criteria.importers import load_catalogue
from criteria.model import CatalogueError
from exporters import ExportOptions, export
from conftest import small_catalogue
folder = Path({str(folder)!r})
arc = create_archive(folder.parent / "炸弹.rrdb", "炸弹")
store_catalogue(arc, small_catalogue())
link(arc, "1.1", [str(folder)])
assert len(scan(arc).problems) == 5
for fmt in ("docx", "pdf"):
    export(arc, fmt, folder.parent / f"汇编.{{fmt}}", ExportOptions())
for name in ("压缩炸弹.docx", "压缩炸弹表格.xlsx", "实体炸弹.docx", "实体炸弹表格.xlsx"):
    try:
        load_catalogue(folder / name)
        raise AssertionError(name)
    except CatalogueError:
        pass
"""
    measured = run_measured("import sys\nsys.path.insert(0, 'tests')\n" + body)
    assert measured["outcome"] == "ok"
    assert measured["peak_mb"] < MEMORY_BOUND_MB and measured["children_peak_mb"] < MEMORY_BOUND_MB, measured
    assert measured["seconds"] < 60, measured


# --- names, long paths, links ---------------------------------------------------------------------------------

LEGAL_NAMES = ["表情😀材料.txt", "ｆｕｌｌ全角（１）．txt", unicodedata.normalize("NFC", "café通知.txt"),
               unicodedata.normalize("NFD", "café通知.txt"), "多个   空格 的名字.txt"]
WINDOWS_ILLEGAL = {"结尾有点.": "以点或空格结尾", "结尾有空格 ": "以点或空格结尾", "冒号:文件.txt": "不允许的字符 :",
                   "问号?.txt": "不允许的字符 ?", "CON.txt": "系统保留名称 CON", "竖线|文件.txt": "不允许的字符 |"}


@pytest.mark.cjk_font
def test_unusual_names_and_paths_over_260_characters(archive, tmp_path):
    root = tmp_path / "证明材料" / "1.1 领导小组"
    deep = root / "很长的文件夹名称（用于测试超过二百六十个字符的路径）" / ("子文件夹" * 12) / ("再深一层" * 12)
    deep = deep / ("第四层" * 15) / ("第五层" * 25)
    deep.mkdir(parents=True)
    long_file = deep / ("超长文件名" * 10 + ".txt")
    long_file.write_text("长路径", encoding="utf-8")
    # Long by itself, not thanks to the temp folder: a short TMPDIR must not make it a short-path test.
    assert len(str(long_file.relative_to(tmp_path))) > 300
    for name in [*LEGAL_NAMES, *WINDOWS_ILLEGAL]:
        (root / name).write_text(name, encoding="utf-8")
    link(archive, "1.1", [str(root)])
    result = scan(archive)
    found = problems_by_name(result)
    assert set(found) == set(WINDOWS_ILLEGAL)
    for name, why in WINDOWS_ILLEGAL.items():
        assert why in found[name] and "请改名" in found[name]
    indexed = {row[0] for row in archive.conn.execute("SELECT path FROM files WHERE problem IS NULL")}
    assert indexed == {str(root / name) for name in LEGAL_NAMES} | {str(long_file)}  # the two é forms are two files
    package = export(archive, "zip", tmp_path / "移交包.zip", ExportOptions())
    with zipfile.ZipFile(package.path) as zf:
        names = zf.namelist()
    assert all(name_problem(name.rstrip("/")) is None for name in names)  # every name valid on Windows
    assert sum(1 for name in names if name.startswith("1.1 ") and not name.endswith("/")) == len(indexed) + len(
        WINDOWS_ILLEGAL)  # the oddly named files are copied too, under safe names
    assert export(archive, "docx", tmp_path / "汇编.docx", ExportOptions()).size > 0


def test_symlink_loops_end_the_walk_with_a_problem_each(archive, tmp_path):
    root = tmp_path / "证明材料"
    (root / "子文件夹").mkdir(parents=True)
    (root / "子文件夹" / "正常.txt").write_text("正常", encoding="utf-8")
    os.symlink("乙", root / "甲")  # 甲 -> 乙 -> 甲
    os.symlink("甲", root / "乙")
    os.symlink("自己", root / "自己")
    os.symlink("..", root / "子文件夹" / "上级")  # a folder link back up: followed, it would never end
    os.symlink(root, root / "子文件夹" / "根")
    link(archive, "1.1", [str(root)])
    result = scan(archive)
    assert problems_by_name(result) == {"甲": "符号链接循环", "乙": "符号链接循环", "自己": "符号链接循环",
                                        "上级": "链接到其他文件夹，未收录其中文件",
                                        "根": "链接到其他文件夹，未收录其中文件"}
    assert result.added == 1 and result.files == 1


@pytest.mark.cjk_font
def test_unreadable_files_and_folders_are_problems_and_exports_list_them(archive, as_nobody, shared_tmp, tmp_path):
    root = shared_tmp / "证明材料"  # tmp_path's parents are closed to 'nobody'
    (root / "保密").mkdir(parents=True)
    (root / "可读.pdf").write_bytes(pdf_bytes(1))
    (root / "不可读.pdf").write_bytes(pdf_bytes(1))
    (root / "保密" / "内部.txt").write_text("内部", encoding="utf-8")
    root.chmod(0o755)
    (root / "可读.pdf").chmod(0o644)
    (root / "不可读.pdf").chmod(0o000)
    (root / "保密").chmod(0o000)
    link(archive, "1.1", [str(root)])
    with as_nobody:
        result = scan(archive)
    assert problems_by_name(result) == {"不可读.pdf": "没有访问权限", "保密": "没有访问权限"}
    assert result.added == 1
    remarks = catalogue_remarks(export(archive, "docx", tmp_path / "汇编.docx", ExportOptions()).path)
    assert remarks == {"可读": "", "不可读": "没有访问权限", "保密": "没有访问权限"}
    assert "没有访问权限" in pdf_text(export(archive, "pdf", tmp_path / "汇编.pdf", ExportOptions()).path)


def test_a_file_deleted_between_listing_and_reading(archive, tmp_path, monkeypatch):
    root = tmp_path / "证明材料"
    root.mkdir()
    for n in range(5):
        (root / f"材料{n}.txt").write_text(f"第{n}份", encoding="utf-8")
    victim = root / "材料2.txt"
    link(archive, "1.1", [str(root)])
    read = hashing.hash_file

    def delete_just_before_reading(path: str):  # listed, then gone when its turn to be read comes
        if path == str(victim):
            victim.unlink()
        return read(path)

    monkeypatch.setattr(hashing, "hash_file", delete_just_before_reading)
    result = scan(archive)
    monkeypatch.undo()
    assert problems_by_name(result) == {"材料2.txt": "文件在读取前已被删除或移走"}
    assert result.added == 4 and result.files == 4
    again = scan(archive)  # the vanished path was never evidence: it leaves quietly, with no event
    assert again.problems == [] and (again.added, again.removed) == (0, 0)
    logged = [row[0] for row in archive.conn.execute("SELECT path FROM events")]
    assert str(victim) not in logged and len(logged) == 4


@pytest.mark.cjk_font
def test_hundreds_of_attachments_under_one_item(archive, tmp_path):
    """A PDF dossier's outline is a chain of one bookmark per attachment: 300 once broke the recursion limit."""
    root = tmp_path / "证明材料"
    root.mkdir()
    for n in range(300):  # 300 records, not one record 300 times (that is attached once: tests/test_same_content)
        (root / f"检查记录{n:03d}.pdf").write_bytes(pdf_bytes(1, f"Inspection record {n}"))
    link(archive, "1.1", [str(root)])
    scan(archive)
    result = export(archive, "pdf", tmp_path / "汇编.pdf", ExportOptions())
    reader = PdfReader(str(result.path))
    titles = [item.title for item in _flat(reader.outline)]
    assert sum("检查记录" in title for title in titles) == 300 and len(reader.pages) > 300


def _flat(outline) -> list:
    return [leaf for item in outline for leaf in (_flat(item) if isinstance(item, list) else [item])]
