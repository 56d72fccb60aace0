"""An export through the dialog into a temp folder: the plan shown first, the file written, errors explained."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from archive.index.scan import scan
from archive.links import link
from common.errors import Cancelled
from tests.ui_support import make_window, messages_fixture, settings_fixture  # noqa: F401 - fixtures
from ui.export import export_dialog as export_module
from ui.export.export_dialog import ExportDialog

TIMEOUT = 60000


@pytest.fixture
def dialog(qtbot, settings, messages, archive, evidence, monkeypatch):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    link(archive, "2.1.1", [str(evidence / "2.1 农残治理" / "1. 快检台账")])
    scan(archive)
    window = make_window(qtbot, settings, archive.path)
    export_dialog = ExportDialog(window.session, window, code="1.1")
    monkeypatch.setattr(export_module, "completion_box", lambda parent, text: messages.append(("导出完成", text)))
    qtbot.addWidget(export_dialog)
    export_dialog.show()
    return export_dialog


def run_export(qtbot, dialog, out) -> None:
    dialog.output.setText(str(out))
    dialog.output.setModified(True)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=TIMEOUT)


def test_word_export_through_the_dialog(qtbot, dialog, messages, tmp_path):
    qtbot.waitUntil(lambda: dialog.plan.text().startswith("• 将导出 7 个评价项目、3 个文件的目录"))
    dialog.stage.setEditText("省级初评")
    run_export(qtbot, dialog, tmp_path / "汇编.docx")
    text = "\n".join(p.text for p in Document(str(tmp_path / "汇编.docx")).paragraphs)
    assert "某某县" in text and "省级初评" in text
    assert messages[-1][0] == "导出完成"
    assert messages[-1][1].startswith(f"已导出：{tmp_path / '汇编.docx'}")
    assert dialog.settings.export_dir == str(tmp_path)  # remembered for next time
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".docx") == ["汇编.docx"]


@pytest.mark.cjk_font
def test_pdf_catalogue_of_the_current_criterion(qtbot, dialog, tmp_path):
    dialog.set_format("pdf")
    assert dialog.output.text().endswith(".pdf")
    dialog.catalogue_only.setChecked(True)
    dialog.only_current.setChecked(True)
    qtbot.waitUntil(lambda: "只导出目录，不附入附件" in dialog.plan.text())
    assert dialog.plan.text().startswith("• 将导出 1 个评价项目、2 个文件的目录")
    run_export(qtbot, dialog, tmp_path / "目录.pdf")
    text = "".join(page.extract_text() for page in PdfReader(str(tmp_path / "目录.pdf")).pages)
    assert "成立创建工作领导小组" in text
    assert "农残快检台账" not in text  # other criteria were left out


def test_export_into_an_evidence_folder_is_refused(qtbot, dialog, messages, evidence):
    dialog.output.setText(str(evidence / "1.1 领导小组" / "汇编.docx"))
    dialog.output.setModified(True)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(messages), timeout=TIMEOUT)
    assert messages[0][0] == "导出失败"
    assert "不能把导出文件保存在关联的证明材料文件夹中" in messages[0][1]
    assert dialog.export_button.isEnabled()
    assert not (evidence / "1.1 领导小组" / "汇编.docx").exists()


@pytest.mark.cjk_font
def test_handover_package(qtbot, dialog, tmp_path):
    dialog.set_format("zip")
    assert not dialog.catalogue_only.isEnabled()
    run_export(qtbot, dialog, tmp_path / "交接包.zip")
    with zipfile.ZipFile(tmp_path / "交接包.zip") as package:
        names = package.namelist()
    assert any(name.endswith("关于成立创建工作领导小组的通知.pdf") for name in names)
    assert any(name.endswith("台账一月.csv") for name in names)


def test_overwrite_is_asked_and_choices_are_remembered(qtbot, dialog, messages, tmp_path, monkeypatch):
    out = tmp_path / "汇编.docx"
    out.write_bytes(b"an older dossier")
    dialog.set_format("docx")
    dialog.compiler.setText("某某县食安办")
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda parent, title, text, *a, **k: messages.append((title, text)) or QMessageBox.StandardButton.No))
    dialog.output.setText(str(out))
    dialog.output.setModified(True)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert messages[-1][0] == "文件已存在" and out.read_bytes() == b"an older dossier"  # 否: untouched
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=TIMEOUT)
    assert out.read_bytes()[:2] == b"PK" and messages[-1][0] == "导出完成"
    again = ExportDialog(dialog.session, dialog.parent())
    qtbot.addWidget(again)
    assert again.fmt() == "docx" and again.compiler.text() == "某某县食安办"


def test_the_completion_box_offers_the_file_and_its_folder(qtbot, dialog, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(export_module, "completion_box", lambda parent, text: "file")
    monkeypatch.setattr(export_module, "open_file", lambda parent, path: opened.append(path))
    run_export(qtbot, dialog, tmp_path / "汇编.docx")
    assert opened == [str(tmp_path / "汇编.docx")]


def test_a_cancelled_export_is_said_in_a_box(qtbot, dialog, messages):
    dialog._failed(Cancelled())
    assert messages[-1] == ("导出已取消", "导出已取消，没有生成文件。")
    assert dialog.export_button.isEnabled()


def test_the_dialog_hands_its_plan_to_the_export_and_plans_again_after_a_change(qtbot, dialog, evidence, tmp_path,
                                                                               monkeypatch):
    import exporters.evidence

    collected = []
    original = exporters.evidence._collect
    monkeypatch.setattr(exporters.evidence, "_collect", lambda *args: collected.append(1) or original(*args))
    qtbot.waitUntil(lambda: dialog.plan.text().startswith("• 将导出 7 个评价项目、3 个文件的目录"))
    (evidence / "1.1 领导小组" / "补充.txt").write_text("补充", encoding="utf-8")
    dialog.session.scan_all()  # the archive changed while the dialog is open: the plan follows it
    qtbot.waitUntil(lambda: dialog.plan.text().startswith("• 将导出 7 个评价项目、4 个文件的目录"), timeout=TIMEOUT)
    collected.clear()
    run_export(qtbot, dialog, tmp_path / "汇编.docx")
    assert not collected  # the plan's evidence was exported, not read again
    text = "\n".join(cell.text for table in Document(str(tmp_path / "汇编.docx")).tables for row in table.rows
                     for cell in row.cells)
    assert "补充" in text
