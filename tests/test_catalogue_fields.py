"""What the clerk typed about a file reaches every catalogue: the 备注 she typed (and a 密级) was printed nowhere, a
typed 页数 neither, and the handover package's Excel 迎检资料目录 dated a notice issued in 2024 by the day it was
copied (the very complaint of the metadata issue), without its 文号 or 责任者, where the dossier beside it was right."""

from __future__ import annotations

import io
import zipfile

from export_helpers import catalogue_remarks, options, populate
from openpyxl import load_workbook
from stage_support import PLAN, prepared

from archive.index.scan import scan
from archive.metadata.store import set_values
from exporters import export, plan_export
from stages.diff import diff_stages
from stages.freeze import freeze

NOTICE = "创建工作方案"  # 1.2 工作方案/创建工作方案.txt of the conftest tree
NOTE = "原件存县档案馆"


def _file_id(archive, name: str) -> int:
    return next(file_id for file_id, path in archive.conn.execute("SELECT id, path FROM files")
                if path.endswith(f"/{name}"))


def _typed(archive, evidence):
    populate(archive, evidence)
    notice = _file_id(archive, f"{NOTICE}.txt")
    set_values(archive, [notice], {"doc_no": "某食安办〔2024〕3号", "issuer": "某县食安办", "date": "2024-09-15",
                                   "secret": "内部", "note": NOTE, "pages": "12"})
    return notice


def test_the_typed_note_and_secrecy_are_in_the_catalogues_remarks_of_both_editions(archive, evidence, tmp_path):
    _typed(archive, evidence)
    for edition in ("review", "internal"):
        remarks = catalogue_remarks(export(archive, "docx", tmp_path / f"{edition}.docx",
                                           options(edition=edition)).path)
        assert remarks[NOTICE] == f"密级：内部；{NOTE}", edition
    broken = catalogue_remarks(tmp_path / "review.docx")["损坏的通知"]
    assert broken.startswith("PDF 文件已损坏")  # a file's problem, alone where nothing was typed


def test_a_typed_page_count_is_shown_for_a_file_the_dossier_does_not_attach(archive, evidence, tmp_path):
    """The Word dossier attaches nothing: its 页数 column showed a PDF's own count and nothing else."""
    import docx

    _typed(archive, evidence)
    word = docx.Document(str(export(archive, "docx", tmp_path / "汇编.docx", options()).path))
    rows = {}
    for table in word.tables:
        header = [cell.text for cell in table.rows[0].cells]
        if header[:2] == ["序号", "档号"]:
            rows.update({cells[header.index("题名")]: cells for cells in
                         ([cell.text for cell in row.cells] for row in table.rows[1:])})
    header = ["序号", "档号", "文号", "责任者", "题名", "日期", "页数", "起止页", "备注"]
    assert rows[NOTICE][header.index("页数")] == "12"
    assert rows[NOTICE][header.index("日期")] == "20240915"


def test_the_package_catalogue_describes_each_file_as_the_dossier_does(archive, evidence, tmp_path):
    _typed(archive, evidence)
    for edition in ("review", "internal"):
        package = tmp_path / f"{edition}.zip"
        export(archive, "zip", package, options(edition=edition))
        with zipfile.ZipFile(package) as z:
            book = load_workbook(io.BytesIO(z.read("迎检资料目录.xlsx")), read_only=True)
        rows = list(book["材料目录"].iter_rows(values_only=True))
        header = rows[0]
        row = dict(zip(header, next(r for r in rows[1:] if r[header.index("题名")] == NOTICE), strict=True))
        assert (row["文号"], row["责任者"], row["日期"], row["页数"]) == ("某食安办〔2024〕3号", "某县食安办",
                                                                     "20240915", 12), edition
        assert row["备注"].startswith(f"密级：内部；{NOTE}"), edition
        photo = dict(zip(header, next(r for r in rows[1:] if r[header.index("题名")] == "现场照片"), strict=True))
        assert photo["日期"] is None  # no date known: left empty, as the dossier's 日期 column (not the copy's day)


def test_a_typed_note_changed_since_a_stage_is_a_described_change(archive, evidence):
    prepared(archive, evidence)
    notice = _file_id(archive, f"{NOTICE}.txt")
    freeze(archive, "省级初评")
    set_values(archive, [notice], {"note": NOTE, "secret": "内部"})
    described = [(change.rel, change.fields) for code in diff_stages(archive, "省级初评").codes
                 for change in code.files["described"]]
    assert described == [(f"{PLAN}/{NOTICE}.txt", [("密级", "", "内部"), ("备注", "", NOTE)])]


def test_the_export_plan_warns_first_of_files_marked_as_state_secrets(archive, evidence):
    """A 密级 read from a document's head ("秘密★1年") or typed: the 备注 would print it in a dossier for the review
    team, and a classified document must not go out with it. 内部 is no state secret."""
    notice = _typed(archive, evidence)
    assert not any("密级" in line for line in plan_export(archive, "pdf", options()).lines())
    (evidence / PLAN / "督查通报.txt").write_text("秘密★1年\n关于创建工作督查情况的通报\n正文", encoding="utf-8")
    scan(archive)
    set_values(archive, [notice], {"secret": "机密"})
    for fmt in ("pdf", "docx", "zip"):
        first = plan_export(archive, fmt, options()).lines()[0]
        carried = "移交包" if fmt == "zip" else "汇编"
        assert first.startswith(f"注意：2 个文件标有密级，涉密材料不得随{carried}送出"), (fmt, first)
        assert "1.2-001 创建工作方案（机密）" in first and "督查通报（秘密）" in first, first
