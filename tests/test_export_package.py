"""The handover zip: folders per criterion, numbered copies, catalogue (xlsx, pdf), a manifest that verifies."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import time
import zipfile

import pytest
from export_helpers import file_warnings, options, populate
from openpyxl import load_workbook
from pypdf import PdfReader

from common.names import PATH_LIMIT, RESERVED, evidence_name, folder_name, safe_component
from conftest import tree_snapshot
from exporters import export

INVALID = re.compile(r'[<>:"\\|?*\x00-\x1f]')


@pytest.fixture
def package(archive, evidence, tmp_path):
    folder = evidence / "1.2 工作方案"
    (folder / "CON.txt").write_text("保留名", encoding="utf-8")
    (folder / "报告:第1版?.txt").write_text("冒号问号", encoding="utf-8")
    (folder / ("很长的文件名" * 13 + ".txt")).write_text("长名", encoding="utf-8")
    populate(archive, evidence)
    before = tree_snapshot(evidence)
    path = tmp_path / "移交包.zip"
    result = export(archive, "zip", path, options())
    assert tree_snapshot(evidence) == before and file_warnings(result) == []
    return path


@pytest.mark.cjk_font
def test_folder_per_criterion_and_numbered_copies(package, evidence):
    names = zipfile.ZipFile(package).namelist()
    folders = [n for n in names if n.endswith("/")]
    # Every item (2.2 empty: a gap); not 1, 2 and 2.1, which hold no evidence of their own (2.1's linked folder
    # holds only 2.1.1's)
    assert folders == ["1.1 成立创建工作领导小组/", "1.2 制定创建工作方案/", "2.1.1 农残快检台账/",
                       "2.2 校园食品安全示范提升行动/"]
    assert "1.1 成立创建工作领导小组/1.1-003 附件正文.pdf" in names
    assert "2.1.1 农残快检台账/2.1.1-001 台账一月.csv" in names
    assert {"迎检资料目录.xlsx", "迎检资料目录.pdf", "manifest.sha256"} <= set(names)
    with zipfile.ZipFile(package) as z:
        copied = z.read("1.1 成立创建工作领导小组/1.1-003 附件正文.pdf")
    assert copied == (evidence / "1.1 领导小组" / "附件正文.pdf").read_bytes()


@pytest.mark.cjk_font
def test_manifest_verifies_every_file(package, tmp_path):
    with zipfile.ZipFile(package) as z:
        lines = z.read("manifest.sha256").decode("utf-8").splitlines()
        listed = dict(reversed(line.split("  ", 1)) for line in lines)
        files = [n for n in z.namelist() if not n.endswith("/") and n != "manifest.sha256"]
        assert sorted(listed) == sorted(files)
        for name in files:
            assert hashlib.sha256(z.read(name)).hexdigest() == listed[name], name
    if shutil.which("sha256sum"):
        unpacked = tmp_path / "unpacked"
        zipfile.ZipFile(package).extractall(unpacked)
        done = subprocess.run(["sha256sum", "-c", "manifest.sha256"], cwd=unpacked, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.cjk_font
def test_names_are_valid_on_windows(package):
    for name in zipfile.ZipFile(package).namelist():
        assert len(name) < PATH_LIMIT and "\\" not in name
        for part in name.rstrip("/").split("/"):
            assert not INVALID.search(part), part
            assert part == part.rstrip(" .") and part.split(".")[0].upper() not in RESERVED, part
    names = zipfile.ZipFile(package).namelist()
    assert any(re.search(r"/1\.2-\d{3} CON\.txt$", n) for n in names)  # numbered, so no longer a device name
    assert any(re.search(r"/1\.2-\d{3} 报告_第1版_\.txt$", n) for n in names)
    long_copy = next(n for n in names if "很长的文件名" in n)
    assert len(long_copy.split("/")[1]) <= 100 and long_copy.endswith(".txt")


@pytest.mark.cjk_font
def test_no_absolute_local_path_anywhere(package, tmp_path):
    needles = [str(tmp_path), str(tmp_path).replace("/", "\\")]
    with zipfile.ZipFile(package) as z:
        for name in z.namelist():
            data = z.read(name)
            texts = [data]
            if name.endswith(".xlsx"):
                inner = zipfile.ZipFile(io.BytesIO(data))
                texts += [inner.read(n) for n in inner.namelist()]
            if name.endswith(".pdf") and data.startswith(b"%PDF") and "迎检资料目录" in name:
                texts.append("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).encode())
            for text in texts:
                assert not any(needle.encode() in text for needle in needles), name


@pytest.mark.cjk_font
def test_catalogue_workbook_and_pdf(archive, evidence, tmp_path):
    populate(archive, evidence)
    package = tmp_path / "内部版.zip"
    export(archive, "zip", package, options(edition="internal"))
    with zipfile.ZipFile(package) as z:
        book = load_workbook(io.BytesIO(z.read("迎检资料目录.xlsx")), read_only=True)
        names = set(z.namelist())
        catalogue_pdf = PdfReader(io.BytesIO(z.read("迎检资料目录.pdf")))
    assert book.sheetnames == ["材料目录", "评价项目", "缺项清单"]
    rows = list(book["材料目录"].iter_rows(values_only=True))
    assert rows[0][:8] == ("序号", "评价项目编号", "评价项目", "文号", "责任者", "题名", "日期", "页数")
    inside = rows[0].index("包内路径")
    copied = [r[inside] for r in rows[1:]]
    assert copied and all(path in names for path in copied)
    assert {r[0] for r in book["评价项目"].iter_rows(min_row=2, values_only=True)} == {
        "1", "1.1", "1.2", "2", "2.1", "2.1.1", "2.2"}
    assert next(book["缺项清单"].iter_rows(min_row=2, values_only=True))[:2] == ("县教育局", "2.2")
    assert rows[0][-1] == "SHA-256" and all(len(r[-1]) == 64 for r in rows[1:] if r[inside] in names)
    states = [r[6] for r in book["评价项目"].iter_rows(min_row=2, values_only=True)]
    assert "已确认" in states and "缺材料" in states
    text = "".join(page.extract_text() for page in catalogue_pdf.pages)
    assert "1.农残快检台账" in text and "附件正文第1页" not in text  # catalogue only


@pytest.mark.cjk_font
def test_review_edition_catalogue_has_no_states_or_hashes_the_checksum_list_has_them(package):
    with zipfile.ZipFile(package) as z:
        names = set(z.namelist())
        book = load_workbook(io.BytesIO(z.read("迎检资料目录.xlsx")), read_only=True)
        checksums = load_workbook(io.BytesIO(z.read("附件_文件校验清单.xlsx")), read_only=True)
        manifest = dict(reversed(line.split("  ", 1)) for line in z.read("manifest.sha256").decode().splitlines())
        sizes = {info.filename: info.file_size for info in z.infolist()}
    assert book.sheetnames == ["材料目录", "评价项目"]  # no gap list
    cells = [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    for word in ("SHA-256", "状态", "确认人", "确认时间", "已确认", "缺材料", "确认后有变更", "张三"):
        assert word not in cells, word
    assert not any(re.fullmatch(r"[0-9a-f]{64}", cell) for cell in cells)
    rows = list(checksums["文件校验清单"].iter_rows(values_only=True))
    assert rows[0] == ("序号", "包内路径", "大小（字节）", "SHA-256")
    listed = {path: (size, digest) for _, path, size, digest in rows[1:]}
    assert "1.1 成立创建工作领导小组/1.1-003 附件正文.pdf" in listed and "迎检资料目录.xlsx" in listed
    for path, (size, digest) in listed.items():
        assert path in names and manifest[path] == digest and sizes[path] == size, path
    assert "附件_文件校验清单.xlsx" in manifest  # the manifest verifies the checksum list too


@pytest.mark.cjk_font
def test_same_archive_twice_gives_identical_zip(archive, evidence, tmp_path):
    populate(archive, evidence)
    export(archive, "zip", tmp_path / "a.zip", options())
    time.sleep(1.1)  # a clock that moved on must not show in the output (openpyxl stamps its save time)
    export(archive, "zip", tmp_path / "b.zip", options())
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


@pytest.mark.parametrize(("raw", "expected"), [
    ("CON", "_CON"), ("nul.txt", "_nul.txt"), ("COM1.tar.gz", "_COM1.tar.gz"), ("a<b>c", "a_b_c"),
    ("尾部点. .", "尾部点"), ("  空格  ", "空格"), ("", "_"), ("tab\there", "tab_here"), ("CONTENT.txt", "CONTENT.txt"),
])
def test_safe_component(raw, expected):
    assert safe_component(raw, 100) == expected


def test_long_titles_are_shortened_keeping_number_and_extension():
    name = evidence_name("2.1.1-001", "很长" * 200, "docx")
    assert name.startswith("2.1.1-001 很长") and name.endswith(".docx") and len(name) <= 100
    assert len(folder_name("12.4.7", "标题" * 100)) <= 60


def test_the_plan_names_the_files_the_package_cannot_copy(archive, evidence):
    """A file the scan could not read (another program held it; no SHA-256) is listed, not copied: the plan said
    "N 个有问题的文件只列入目录" of every file with a problem, though an empty file or a shortcut is copied."""
    from exporters import plan_export

    folder = evidence / "1.2 工作方案"
    (folder / "空白签到表.docx").write_bytes(b"")
    populate(archive, evidence)
    with archive.conn:  # as the scan records a file it could not read
        archive.conn.execute("UPDATE files SET sha256 = NULL, problem = '没有访问权限' WHERE path LIKE ?",
                             ("%创建工作方案.txt",))
    lines = plan_export(archive, "zip", options()).lines()
    total = int(re.match(r"将导出 \d+ 个评价项目、(\d+) 个文件的目录", lines[0]).group(1))
    assert re.fullmatch(rf"移交包将复制 {total - 1} 个文件；1 个文件无法复制（无法读取或已不存在），只列入目录："
                        r"1\.2-\d{3} 创建工作方案", lines[1])
