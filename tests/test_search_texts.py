"""The text of every indexed file: each format read back from real files, per page; incremental by content;
cancellable; orphans forgotten; the evidence never written."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

from archive.index.scan import scan
from archive.links import link
from common.errors import Cancelled
from conftest import tree_snapshot
from search.extract import MAX_CHARS, extract
from search.texts import plan, update_texts
from tests.foreign_corpus import ole_file
from tests.search_support import write_docx, write_pdf, write_pptx, write_xlsx


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "证明材料" / "县市场监管局" / "农贸市场快检"
    write_docx(root / "关于开展农贸市场快检工作的通知.docx", ["各市场开办者：", "请落实快检室每日检测制度。"],
               table=[["市场", "快检室"], ["城东农贸市场", "已建成"]])
    write_xlsx(root / "快检台账.xlsx", {"一月": [["日期", "样品", "结果"], ["2024-01-02", "青菜", "合格"]],
                                       "二月": [["2024-02-03", "韭菜", "不合格"]]})
    write_pptx(root / "培训课件.pptx", [["快检培训"], ["农药残留", "速测卡操作"]])
    write_pdf(root / "检查报告.pdf", ["第一页 检查情况", None, "第三页 发现问题：台账不全"])
    (root / "说明.txt").write_bytes("农贸市场快检室说明（GBK 编码）".encode("gb18030"))
    (root / "现场照片.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"0" * 200)
    return tmp_path / "证明材料"


def _linked(archive, tree):
    link(archive, "2.1", [str(tree)])
    scan(archive)
    return archive


def _texts(archive) -> dict[str, list[tuple]]:
    rows = archive.conn.execute(
        "SELECT f.path, p.page, p.body FROM files f JOIN text_pages p ON p.sha256 = f.sha256 ORDER BY f.path, p.page")
    out: dict[str, list[tuple]] = {}
    for path, page, body in rows:
        out.setdefault(path.rsplit("/", 1)[-1], []).append((page, body))
    return out


def test_every_format_read_back_per_page(archive, tree):
    before = tree_snapshot(tree)
    report = update_texts(_linked(archive, tree))
    assert (report.read, report.text, report.failed) == (5, 5, 0)  # the photo is not read (OCR is optional)
    texts = _texts(archive)
    docx = texts["关于开展农贸市场快检工作的通知.docx"][0][1]
    assert "请落实快检室每日检测制度。" in docx and "城东农贸市场 已建成" in docx
    xlsx = texts["快检台账.xlsx"][0][1]
    assert "2024-01-02 青菜 合格" in xlsx and "韭菜 不合格" in xlsx
    assert texts["培训课件.pptx"] == [(1, "快检培训"), (2, "农药残留\n速测卡操作")]
    pdf = texts["检查报告.pdf"]
    assert [page for page, _ in pdf] == [1, 3] and "台账不全" in pdf[1][1]
    blank = archive.conn.execute("SELECT d.blank FROM text_docs d JOIN files f ON f.sha256 = d.sha256 "
                                 "WHERE f.path LIKE '%检查报告.pdf'").fetchone()
    assert blank == (1,)  # the scanned page is counted, for OCR
    assert texts["说明.txt"] == [(None, "农贸市场快检室说明（GBK 编码）")]
    assert tree_snapshot(tree) == before


def test_incremental_by_content(archive, tree):
    _linked(archive, tree)
    assert update_texts(archive).read == 5
    assert update_texts(archive).read == 0
    folder = tree / "县市场监管局" / "农贸市场快检"
    shutil.copy(folder / "快检台账.xlsx", folder / "快检台账（副本）.xlsx")
    (folder / "检查报告.pdf").rename(folder / "检查报告-改名.pdf")
    scan(archive)
    assert update_texts(archive).read == 0  # a copy and a rename read nothing
    (folder / "说明.txt").write_text("改过的说明", encoding="utf-8")
    scan(archive)
    assert update_texts(archive).read == 1
    bodies = [b for (b,) in archive.conn.execute("SELECT body FROM text_pages")]
    assert "改过的说明" in bodies and not any("GBK" in b for b in bodies)  # the old text is forgotten
    assert archive.conn.execute("SELECT COUNT(*) FROM text_tri WHERE text_tri MATCH '\"GBK\"'").fetchone() == (0,)


def test_cancel_stops_and_the_next_run_finishes(archive, tree):
    _linked(archive, tree)
    with pytest.raises(Cancelled):
        update_texts(archive, cancel=lambda: True)
    assert update_texts(archive).read == 5
    assert plan(archive) == []


def test_damaged_files_are_failed_not_fatal(archive, tree):
    folder = tree / "县市场监管局" / "农贸市场快检"
    (folder / "坏的.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (folder / "坏的.pdf").write_bytes(b"%PDF-1.4\n" + b"garbage" * 50)
    for name, kind in (("坏的.docx", "docx"), ("坏的.pdf", "pdf")):
        result = extract(str(folder / name), kind)
        assert (result.state, result.pages) == ("failed", []) and "损坏" in result.note
    _linked(archive, tree)
    report = update_texts(archive)  # the index already knows them as damaged: they are not read again
    assert (report.read, report.text) == (5, 5)


def test_long_text_is_capped(tmp_path):
    path = tmp_path / "长.txt"
    path.write_text("食" * (MAX_CHARS + 500), encoding="utf-8")
    result = extract(str(path), "txt")
    assert result.chars == MAX_CHARS and result.note


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in converter is a POSIX script")
def test_old_office_files_are_read_through_the_dossiers_converter_a_batch_at_a_time(archive, tmp_path, monkeypatch):
    """.doc/.wps/.et go through exporters.office.convert_each (one converter, one locale rule, one time limit):
    25 files are two batches, every one's text is stored, and no converted PDF is left behind."""
    from exporters import office_run

    converted = write_pdf(tmp_path / "converted.pdf", ["转换后的旧版公文正文"])
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.txt"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(
        f"#!{sys.executable}\nimport os, shutil, sys\nargs = sys.argv[1:]\nout = args[args.index('--outdir') + 1]\n"
        "inputs = args[args.index('--outdir') + 2:]\n"
        "for path in inputs:\n"
        "    stem = os.path.basename(path).rsplit('.', 1)[0]\n"
        f"    shutil.copyfile({str(converted)!r}, os.path.join(out, stem + '.pdf'))\n"
        f"open({str(log)!r}, 'a').write(f\"{{len(inputs)}} {{os.environ.get('LC_ALL')}}\\n\")\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("LC_ALL", "C")
    folder = tmp_path / "证明材料" / "旧文件"
    folder.mkdir(parents=True)
    for number in range(25):  # distinct contents: text is read once per content
        stream = ("Workbook", b"et") if number % 3 == 2 else ("WordDocument", b"\xec\xa5")
        (folder / f"通知{number:02d}.{('doc', 'wps', 'et')[number % 3]}").write_bytes(
            ole_file(stream[0], stream[1] + b"%03d" % number * 100))
    link(archive, "2.1", [str(folder)])
    scan(archive)
    leftovers = []
    real_convert = office_run.convert

    def watched(converter, files, workdir, *rest):
        leftovers.append(sorted(os.listdir(os.path.join(workdir, "office", "out")))
                         if os.path.isdir(os.path.join(workdir, "office", "out")) else [])
        return real_convert(converter, files, workdir, *rest)

    monkeypatch.setattr(office_run, "convert", watched)
    report = update_texts(archive)
    assert (report.read, report.text, report.failed) == (25, 25, 0)
    assert log.read_text().split("\n")[:-1] == ["20 C.UTF-8", "5 C.UTF-8"]
    assert leftovers == [[], []]  # the first batch's PDFs were gone before the second converted
    bodies = archive.conn.execute("SELECT COUNT(*) FROM text_pages WHERE body LIKE '%转换后的旧版公文正文%'").fetchone()
    assert bodies == (25,)
