"""The export plan is computed once and handed to the export: one collect and one font lookup per export."""

from __future__ import annotations

import pytest
from export_helpers import options, page_texts, populate

import exporters.evidence
import exporters.fonts
import exporters.office
import main
from exporters import export, plan_export

pytestmark = pytest.mark.cjk_font  # the evidence (export_helpers.populate) has a PDF drawn in a CJK font


@pytest.fixture
def counted(monkeypatch) -> dict[str, int]:
    """Calls of the archive read behind every collect, the font-folder search, and the Office converter search."""
    calls = {"collect": 0, "fonts": 0, "converter": 0}

    def counting(name, original):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return original(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(exporters.evidence, "_collect", counting("collect", exporters.evidence._collect))
    monkeypatch.setattr(exporters.fonts, "_index_font_files", counting("fonts", exporters.fonts._index_font_files))
    for module in (exporters, exporters.office, __import__("exporters.dossier_job").dossier_job):
        monkeypatch.setattr(module, "find_converter", counting("converter", exporters.office.find_converter))
    return calls


def test_a_planned_pdf_export_reads_and_finds_fonts_once(archive, evidence, tmp_path, counted):
    populate(archive, evidence)
    counted.update(dict.fromkeys(counted, 0))  # populate draws its PDF with the fonts it finds
    plan = plan_export(archive, "pdf", options())
    assert counted == {"collect": 1, "fonts": 1, "converter": 1}
    result = export(archive, "pdf", tmp_path / "汇编.pdf", options(), plan=plan)
    assert counted == {"collect": 1, "fonts": 1, "converter": 1}  # nothing read or looked up again
    text = "".join(page_texts(result.path))
    assert "成立创建工作领导小组" in text and "附件正文" in text


def test_a_plan_for_other_options_is_not_used(archive, evidence, tmp_path, counted):
    populate(archive, evidence)
    counted.update(dict.fromkeys(counted, 0))  # populate draws its PDF with the fonts it finds
    plan = plan_export(archive, "pdf", options(codes=["1.1"]))
    export(archive, "pdf", tmp_path / "汇编.pdf", options(), plan=plan)
    assert counted["collect"] == 2  # the whole archive, not the plan's 1.1 only
    assert "校园食品安全示范提升行动" in "".join(page_texts(tmp_path / "汇编.pdf"))


def test_the_command_line_exports_what_its_plan_read(archive, evidence, tmp_path, counted, capsys):
    populate(archive, evidence)
    counted.update(dict.fromkeys(counted, 0))  # populate draws its PDF with the fonts it finds
    archive.close()
    code = main.main(["export", str(archive.path), "--format", "pdf", "--out", str(tmp_path / "汇编.pdf")])
    assert code in (0, None)
    assert counted == {"collect": 1, "fonts": 1, "converter": 1}
    assert "附入" in capsys.readouterr().out
    assert (tmp_path / "汇编.pdf").stat().st_size > 0
