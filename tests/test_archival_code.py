"""档号 (DA/T 22-2015) in each criterion's 佐证材料目录: a pattern with a default, explained in the 编制说明, kept by
the export log for a stage rebuild; a pattern that cannot be read is a Chinese message before anything is written."""

from __future__ import annotations

import pytest
from export_helpers import options, populate

from common.errors import UserError
from exporters import export, plan_export
from exporters.options import archival_code

pytestmark = pytest.mark.cjk_font


def _codes(path) -> dict[str, str]:
    """题名 -> 档号 of every 佐证材料目录 row of a Word dossier."""
    import docx

    found = {}
    for table in docx.Document(str(path)).tables:
        header = [cell.text for cell in table.rows[0].cells]
        if header[:2] == ["序号", "档号"]:
            for row in table.rows[1:]:
                cells = [cell.text for cell in row.cells]
                found[cells[header.index("题名")]] = cells[1]
    return found


def test_default_is_the_material_number_and_a_pattern_is_printed(archive, evidence, tmp_path):
    dated_name = "县食安办〔2023〕5号关于印发方案的通知2023年3月1日.txt"
    (evidence / "1.1 领导小组" / dated_name).write_text("x", encoding="utf-8")
    populate(archive, evidence)
    default, patterned = tmp_path / "默认.docx", tmp_path / "档号.docx"
    export(archive, "docx", default, options())
    export(archive, "docx", patterned, options(archival_code="J032-{年度}-{编号}-{件号}"))
    plain, coded = _codes(default), _codes(patterned)
    assert plain["附件正文"] == "1.1-004" and plain["2024年第一次会议纪要"].startswith("1.1-")
    assert coded["附件正文"] == "J032-2024-1.1-004"  # no date of its own: the dossier's year
    dated = next(title for title in coded if title.startswith("关于印发方案的通知") or "方案的通知" in title)
    assert coded[dated].startswith("J032-2023-1.1-")  # the document's own year
    import docx

    note = "".join(p.text for p in docx.Document(str(patterned)).paragraphs)
    assert "档号格式为“J032-{年度}-{编号}-{件号}”，其中{年度}为材料日期的年份" in note


def test_a_pattern_it_cannot_read_is_refused_before_work(archive, evidence, tmp_path):
    populate(archive, evidence)
    with pytest.raises(UserError, match=r"档号格式无法识别：\{全宗\}-\{件号\}"):
        plan_export(archive, "pdf", options(archival_code="{全宗}-{件号}"))
    with pytest.raises(UserError, match="档号格式无法识别"):
        export(archive, "docx", tmp_path / "x.docx", options(archival_code="{全宗}-{件号}"))
    assert not (tmp_path / "x.docx").exists()


def test_parts():
    assert archival_code("{编号}-{件号}", "2.1.1", "012", "", "2024-05-01 10:00:00") == "2.1.1-012"
    assert archival_code("Z-{年度}/{件号}", "1", "001", "20230105", "2024-05-01 10:00:00") == "Z-2023/001"


def test_command_line_option(archive, evidence, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    main = str(Path(__file__).resolve().parent.parent / "main.py")
    populate(archive, evidence)
    out = tmp_path / "汇编.docx"
    done = subprocess.run([sys.executable, main, "export", archive.path, "--out", out, "--archival-code",
                           "Z01-{编号}-{件号}"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert _codes(out)["附件正文"] == "Z01-1.1-003"
    bad = subprocess.run([sys.executable, main, "export", archive.path, "--out", tmp_path / "坏.docx",
                          "--archival-code", "{卷号}"], capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1 and "档号格式无法识别" in bad.stdout + bad.stderr and "Traceback" not in bad.stderr
