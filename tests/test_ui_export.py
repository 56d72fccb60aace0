"""An export through the dialog into a temp folder: the plan shown first, the file written, errors explained."""

from __future__ import annotations

import os
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
    qtbot.waitUntil(lambda: dialog.plan.text().startswith("• 将导出 4 个评价项目、3 个文件的目录"))
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


@pytest.mark.cjk_font
def test_the_plan_says_which_office_files_no_converter_can_attach(qtbot, dialog, archive, evidence, monkeypatch):
    import exporters

    document = Document()
    document.add_paragraph("方案")
    document.save(evidence / "1.1 领导小组" / "实施方案.docx")
    scan(archive)
    monkeypatch.setattr(exporters, "find_converter", lambda: None)
    dialog.set_format("pdf")
    qtbot.waitUntil(lambda: "需要转换的 Office 文件 1 个（DOCX 1 个）：未安装 LibreOffice、Microsoft Office 或 WPS "
                            "Office，只列入目录" in dialog.plan.text(), timeout=TIMEOUT)


@pytest.mark.cjk_font
def test_the_plan_says_which_font_role_is_substituted(qtbot, dialog, tmp_path, monkeypatch):
    import os

    import exporters.fonts

    source = exporters.fonts.find_fonts().files[0]
    folder = tmp_path / "fonts"
    folder.mkdir()
    os.symlink(source, folder / os.path.basename(source))  # one CJK font, not a 仿宋
    monkeypatch.setattr(exporters.fonts, "font_dirs", lambda: [folder])
    dialog.set_format("pdf")
    said = "PDF 字体：本机没有仿宋（用于正文，查找了 simfang.ttf、fangsong.ttf）"
    qtbot.waitUntil(lambda: said in dialog.plan.text(), timeout=TIMEOUT)
    # the window has no --font: it names its own setting (the command line keeps its option)
    assert "--font" not in dialog.plan.text() and "在“工具 → 设置…”的“PDF 中文字体”中指定" in dialog.plan.text()


class LongPlan:
    def lines(self) -> list[str]:
        return [f"第 {n} 条：本机没有楷体（用于二级标题，查找了 simkai.ttf、ukai.ttc、kaiti.ttf），以文泉驿正黑代替；"
                "可安装该字体或在设置中指定" for n in range(1, 13)]


def test_a_long_plan_scrolls_instead_of_being_cut_off_at_1366x768(qtbot, dialog):
    """Twelve wrapped lines: the plan is laid out whole (its last line reachable by scrolling), and the dialog
    still fits a 1366x768 screen less a taskbar and a title bar."""
    qtbot.waitUntil(lambda: dialog.made_plan is not None, timeout=TIMEOUT)
    dialog._show_plan(LongPlan(), dialog.plans_asked)
    qtbot.wait(50)
    plan = dialog.plan
    assert plan.text().count("•") == 12
    assert plan.height() >= plan.heightForWidth(plan.width())  # nothing clipped: the rest is below, scrolled to
    assert dialog.plan_scroll.height() >= 10 * plan.fontMetrics().lineSpacing()  # the box grew, as far as it may
    assert dialog.frameGeometry().height() <= 768 - 40 - 30


def test_the_dialog_hands_its_plan_to_the_export_and_plans_again_after_a_change(qtbot, dialog, evidence, tmp_path,
                                                                               monkeypatch):
    import exporters.evidence

    collected = []
    original = exporters.evidence._collect
    monkeypatch.setattr(exporters.evidence, "_collect", lambda *args: collected.append(1) or original(*args))
    qtbot.waitUntil(lambda: dialog.plan.text().startswith("• 将导出 4 个评价项目、3 个文件的目录"))
    (evidence / "1.1 领导小组" / "补充.txt").write_text("补充", encoding="utf-8")
    dialog.session.scan_all()  # the archive changed while the dialog is open: the plan follows it
    # the plan of the archive as the background pass leaves it (the new file's values read after the index)
    qtbot.waitUntil(lambda: dialog.session.counting is None and not dialog.session.jobs
                    and dialog.made_plan is not None
                    and dialog.plan.text().startswith("• 将导出 4 个评价项目、4 个文件的目录"), timeout=TIMEOUT)
    collected.clear()
    run_export(qtbot, dialog, tmp_path / "汇编.docx")
    assert not collected  # the plan's evidence was exported, not read again
    text = "\n".join(cell.text for table in Document(str(tmp_path / "汇编.docx")).tables for row in table.rows
                     for cell in row.cells)
    assert "补充" in text


def test_the_county_names_the_title_and_both_are_remembered_per_archive(qtbot, dialog, messages, tmp_path):
    assert dialog.county.text() == "某某县"  # guessed from the archive's title
    assert dialog.title.text() == "某某县创建国家食品安全示范城市迎检资料汇编"
    dialog.county.setText("滨海县")
    assert dialog.title.text() == "滨海县创建国家食品安全示范城市迎检资料汇编"  # follows the county
    assert "滨海县食品安全委员会办公室" in dialog.compiler.placeholderText()
    dialog.compiler.setText("滨海县食安办")
    run_export(qtbot, dialog, tmp_path / "汇编.docx")
    text = "\n".join(p.text for p in Document(str(tmp_path / "汇编.docx")).paragraphs)
    assert "滨海县创建国家食品安全示范城市迎检资料汇编" in text and "滨海县食安办" in text
    again = ExportDialog(dialog.session, dialog.parent())
    qtbot.addWidget(again)
    assert (again.county.text(), again.compiler.text()) == ("滨海县", "滨海县食安办")
    assert again.title.text() == "滨海县创建国家食品安全示范城市迎检资料汇编"


def test_a_typed_title_is_kept_and_remembered(qtbot, dialog, tmp_path):
    dialog.title.setText("某某县食品安全示范创建资料汇编（第二册）")
    dialog.title.setModified(True)  # as typing does (textEdited)
    dialog.county.setText("滨海县")
    assert dialog.title.text() == "某某县食品安全示范创建资料汇编（第二册）"  # the county does not overwrite it
    run_export(qtbot, dialog, tmp_path / "汇编.docx")
    again = ExportDialog(dialog.session, dialog.parent())
    qtbot.addWidget(again)
    assert again.title.text() == "某某县食品安全示范创建资料汇编（第二册）"


@pytest.mark.cjk_font
def test_the_plan_names_fonts_as_a_clerk_knows_them(qtbot, dialog):
    dialog.set_format("pdf")
    qtbot.waitUntil(lambda: "PDF 字体：" in dialog.plan.text(), timeout=TIMEOUT)
    line = next(line for line in dialog.plan.text().splitlines() if "PDF 字体：" in line)
    assert ".ttc" not in line and ".ttf" not in line
    assert any(name in line for name in ("宋体", "黑体", "文泉驿", "思源", "文鼎")), line


def test_word_progress_names_the_item_being_written(archive, evidence, tmp_path):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    scan(archive)
    seen: list[str] = []
    export_module.export(archive, "docx", tmp_path / "汇编.docx", progress=lambda f, m: seen.append(m))
    words = [m for m in seen if "Word" in m]
    assert words and not any("段" in m for m in seen)
    titles = [row[0] for row in archive.conn.execute("SELECT title FROM criteria")]
    assert any(title in m for m in words for title in titles), words  # the item being written, by its name


def test_font_set_describes_roles_by_font_names():
    from exporters.fonts import FontSet

    windows = FontSet("s", "h", "f", ("C:/Windows/Fonts/simsun.ttc", "C:/Windows/Fonts/simhei.ttf"), "k",
                      roles=(("宋体", "C:/Windows/Fonts/simsun.ttc"), ("黑体", "C:/Windows/Fonts/simhei.ttf"),
                             ("仿宋", "C:/Windows/Fonts/simsun.ttc"), ("楷体", "C:/Windows/Fonts/simsun.ttc")))
    assert windows.describe() == "宋体（用于宋体、仿宋、楷体）；黑体"
    wqy = "/usr/share/fonts/wqy-microhei.ttc"
    linux = FontSet("w", "w", "w", (wqy,), "w", roles=tuple((role, wqy) for role in ("宋体", "黑体", "仿宋", "楷体")))
    assert linux.describe() == "文泉驿微米黑（用于宋体、黑体、仿宋、楷体）"


def test_a_missing_font_error_names_the_windows_setting():
    from common.errors import UserError
    from exporters.fonts import MISSING_FONT
    from ui.common.worker import describe_error

    assert "--font" in MISSING_FONT  # the command line's message keeps its option
    said = describe_error(UserError(MISSING_FONT))
    assert "--font" not in said and "或在“工具 → 设置…”的“PDF 中文字体”中指定字体文件（.ttf/.ttc）" in said


def test_the_edition_and_the_part_name_the_file_and_the_plan_follows_them(qtbot, dialog, tmp_path):
    """Choosing 内部版 kept the plan's line about the 送审版's unscored items, and the file name of the 送审版: an
    internal edition (gap list, confirmations) saved over it, or sent to the reviewers as it. One item's export, too,
    was offered the whole dossier's name."""
    qtbot.waitUntil(lambda: "尚未自评打分" in dialog.plan.text())
    review_name = os.path.basename(dialog.output.text())
    dialog.edition.setCurrentIndex(dialog.edition.findData("internal"))
    qtbot.waitUntil(lambda: dialog.made_plan is not None and "将导出" in dialog.plan.text())
    assert "尚未自评打分" not in dialog.plan.text()
    assert os.path.basename(dialog.output.text()) == review_name.replace(".docx", "（内部版）.docx")
    dialog.only_current.setChecked(True)
    assert os.path.basename(dialog.output.text()) == review_name.replace(".docx", "（内部版）（1.1）.docx")
    dialog.edition.setCurrentIndex(dialog.edition.findData("review"))
    qtbot.waitUntil(lambda: dialog.made_plan is not None and "尚未自评打分" in dialog.plan.text())
    dialog.no_scores.setChecked(True)  # no scores in this stage: nothing to warn of
    qtbot.waitUntil(lambda: dialog.made_plan is not None and "将导出" in dialog.plan.text())
    assert "尚未自评打分" not in dialog.plan.text()
    dialog.output.setText(str(tmp_path / "我的汇编.docx"))
    dialog.output.setModified(True)
    dialog.only_current.setChecked(False)
    assert dialog.output.text() == str(tmp_path / "我的汇编.docx")  # the clerk's own name is kept
