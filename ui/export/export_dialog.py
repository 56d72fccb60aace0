"""Export: format (Word / PDF / 交接包), county, title, stage, 编制单位, catalogue only, scope, output file.

What will and will not be included is worked out (in the background) and shown before anything is written. The
export itself runs on the worker with a cancellable progress dialog; an existing file is replaced only when the user
says so; when done, 打开文件 / 打开所在文件夹. The format and 编制单位 are remembered; the county (县/市) and the
title per archive. The title follows the county until the clerk types one of their own.
"""

from __future__ import annotations

import hashlib
import os
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from common.errors import Cancelled
from exporters import DEFAULT_TITLE, ExportOptions, export, plan_export
from exporters.options import ARCHIVAL_PARTS, DEFAULT_ARCHIVAL_CODE
from ui.common import file_dialogs
from ui.common.shell import completion_box, open_file, show_in_folder
from ui.common.widgets import browse_row
from ui.common.worker import describe_error, run_job, show_error, window_text
from ui.workspace.evidence_model import human_size
from ui.workspace.session import ArchiveSession

FORMAT_CHOICES = (("docx", "Word 文档（.docx）：目录与材料清单，图片嵌入，可再编辑"),
                  ("pdf", "PDF 汇编（.pdf）：目录、清单，并附入材料原文，可直接打印"),
                  ("zip", "交接包（.zip）：目录与全部材料副本，按评价项目分文件夹"))
STAGES = ("自查自评", "省级初评", "国家验收", "跟踪评价")
EDITION_CHOICES = (("review", "送审版：交评审组。不含缺项清单、材料状态、确认人和时间、变更记录与校验值"),
                   ("internal", "内部版：本单位自用。含缺项清单、材料状态、确认记录、文件清单及校验值"))
MAX_WARNINGS = 10
PLAN_LINES = (5, 10)  # the plan's box grows with it from 5 to 10 lines (the dialog with it); more lines scroll


def guess_county(title: str) -> str:
    """"示例县创建国家食品安全示范城市（演示）" -> "示例县": the archive's title up to its first 县/市/区/旗
    (short, and not the 示范城市 of the campaign's own name)."""
    match = re.match(r"\s*([^\s（(]{1,12}?[县市区旗])", title)
    return match.group(1) if match and not re.search("创建|示范|食品", match.group(1)) else ""


def _safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "", text) or "迎检资料"


class ExportDialog(QDialog):
    def __init__(self, session: ArchiveSession, parent: QWidget | None = None, code: str | None = None):
        super().__init__(parent)
        self.session = session
        self.settings = session.settings
        self.code = code
        self.result = None
        self.plan_job = None
        self.made_plan = None  # the plan shown, handed to the export (its evidence and fonts are not read again)
        self.plans_asked = 0
        self.setWindowTitle("导出")
        self.setMinimumWidth(640)
        self.formats = QButtonGroup(self)
        self.county = QLineEdit()
        self.county.setPlaceholderText("如：某某县（写入汇编标题）")
        self.title = QLineEdit(DEFAULT_TITLE)
        self.stage = QComboBox()
        self.stage.setEditable(True)
        self.stage.addItems(STAGES)
        self.compiler = QLineEdit()
        self.compiler.setPlaceholderText("如：某某县食品安全委员会办公室")
        self.catalogue_only = QCheckBox("只导出目录，不附入材料原文")
        self.edition = QComboBox()
        for key, text in EDITION_CHOICES:
            self.edition.addItem(text, key)
        self.no_scores = QCheckBox("不列自评得分和扣分说明（不要求报送得分的阶段）")
        self.archival_code = QLineEdit(DEFAULT_ARCHIVAL_CODE)
        self.archival_code.setToolTip("佐证材料目录中档号的格式：固定文字（如全宗号）与 "
                                      + "、".join(f"{{{part}}}（{text}）" for part, text in ARCHIVAL_PARTS.items()))
        self.only_current = QCheckBox(f"只导出当前项目 {code} 及其子项" if code else "只导出当前项目")
        self.only_current.setVisible(code is not None)
        self.output = QLineEdit()
        self.plan = QLabel("正在统计将导出的内容…")
        self.plan.setWordWrap(True)
        self.plan.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText("导出")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self._layout()
        self._connect()
        self.formats.button(0).setChecked(True)
        if (fmt := self.settings.qsettings.value("export/format", "")) in [f for f, _ in FORMAT_CHOICES]:
            self.set_format(fmt)
        self.compiler.setText(self.settings.qsettings.value("export/compiler", "") or "")
        self.archival_code.setText(self.settings.qsettings.value("export/archival_code", "") or DEFAULT_ARCHIVAL_CODE)
        self._fill_county_and_title()
        self._suggest_output()
        self._update_plan()

    def _layout(self) -> None:
        format_box = QGroupBox("格式")
        format_layout = QVBoxLayout(format_box)
        for number, (_, text) in enumerate(FORMAT_CHOICES):
            button = QRadioButton(text)
            self.formats.addButton(button, number)
            format_layout.addWidget(button)
        output_row = browse_row(self.output, self._choose_output)
        form = QFormLayout()
        form.addRow("县/市名称(&C)：", self.county)
        form.addRow("汇编标题(&T)：", self.title)
        form.addRow("阶段：", self.stage)
        form.addRow("编制单位(&U)：", self.compiler)
        form.addRow("版本：", self.edition)
        form.addRow("档号格式：", self.archival_code)
        form.addRow("", self.catalogue_only)
        form.addRow("", self.no_scores)
        form.addRow("", self.only_current)
        form.addRow("保存为：", output_row)
        plan_box = QGroupBox("将导出的内容")
        QVBoxLayout(plan_box).addWidget(self._plan_scroll())
        layout = QVBoxLayout(self)
        layout.addWidget(format_box)
        layout.addLayout(form)
        layout.addWidget(plan_box)
        layout.addWidget(self.buttons)

    def _plan_scroll(self) -> QScrollArea:
        """The plan scrolls: a long one (problems, fonts) would otherwise be cut off at the dialog's bottom, which
        Qt sizes before the plan arrives and does not grow beyond the screen."""
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.viewport().setAutoFillBackground(False)
        scroll.setWidget(self.plan)
        self.plan.setAutoFillBackground(False)
        self.plan.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.plan_scroll = scroll
        self._fit_plan()
        return scroll

    def _fit_plan(self) -> None:
        line = self.plan.fontMetrics().lineSpacing()
        needed = self.plan.heightForWidth(self.plan_scroll.viewport().width())
        least, most = (lines * line for lines in PLAN_LINES)
        self.plan_scroll.setMinimumHeight(min(max(needed, least), most))

    def _connect(self) -> None:
        self.formats.idToggled.connect(lambda _id, checked: checked and self._format_changed())
        self.catalogue_only.toggled.connect(lambda _: self._update_plan())
        self.only_current.toggled.connect(lambda _: self._choice_changed())
        self.edition.currentIndexChanged.connect(lambda _: self._choice_changed())  # the plan's score line differs
        self.no_scores.toggled.connect(lambda _: self._update_plan())
        self.archival_code.editingFinished.connect(self._update_plan)  # a pattern it cannot read is said there
        self.stage.currentTextChanged.connect(lambda _: self._suggest_output())
        self.county.textChanged.connect(self._county_changed)
        self.title.textEdited.connect(lambda _: self.title.setModified(True))
        self.output.textEdited.connect(lambda _: self.output.setModified(True))
        self.buttons.accepted.connect(self._export)
        self.buttons.rejected.connect(self.reject)
        self.session.refreshed.connect(lambda _codes: self._update_plan())  # the archive changed: plan it again

    # -- the county and the title, remembered per archive ----------------------------------------------------
    def _key(self, name: str) -> str:
        digest = hashlib.sha1(str(self.session.archive.path).encode("utf-8")).hexdigest()[:12]
        return f"export/{name}-{digest}"

    def _fill_county_and_title(self) -> None:
        values = self.settings.qsettings
        county = values.value(self._key("county"), None)
        self.county.setText(county if county is not None else guess_county(self.session.archive.title))
        title = values.value(self._key("title"), "") or ""
        if title and title != self._title_for(self.county.text()):
            self.title.setText(title)
            self.title.setModified(True)  # the clerk's own title: the county no longer rewrites it
        self._county_changed(self.county.text())

    @staticmethod
    def _title_for(county: str) -> str:
        return f"{county.strip()}{DEFAULT_TITLE}"

    def _county_changed(self, county: str) -> None:
        if not self.title.isModified():
            self.title.setText(self._title_for(county))
        self.compiler.setPlaceholderText(f"如：{county.strip() or '某某县'}食品安全委员会办公室")

    def _remember(self, options: ExportOptions) -> None:
        values = self.settings.qsettings
        values.setValue("export/format", self.fmt())
        values.setValue("export/compiler", options.compiler)
        values.setValue("export/archival_code", options.archival_code)
        values.setValue(self._key("county"), self.county.text().strip())
        values.setValue(self._key("title"), options.title)

    # -- choices ----------------------------------------------------------------------------------------------
    def fmt(self) -> str:
        return FORMAT_CHOICES[max(0, self.formats.checkedId())][0]

    def set_format(self, fmt: str) -> None:
        self.formats.button([f for f, _ in FORMAT_CHOICES].index(fmt)).setChecked(True)

    def options(self) -> ExportOptions:
        return ExportOptions(title=self.title.text().strip() or DEFAULT_TITLE, stage=self.stage.currentText().strip(),
                             compiler=self.compiler.text().strip(), catalogue_only=self.catalogue_only.isChecked(),
                             codes=[self.code] if self.code and self.only_current.isChecked() else None,
                             font_path=self.settings.cjk_font or None, edition=self.edition.currentData(),
                             scores=not self.no_scores.isChecked(),
                             archival_code=self.archival_code.text().strip() or DEFAULT_ARCHIVAL_CODE)

    def _format_changed(self) -> None:
        self.catalogue_only.setEnabled(self.fmt() != "zip")
        if self.output.isModified():  # keep the user's name, with the right extension
            stem = os.path.splitext(self.output.text())[0]
            self.output.setText(f"{stem}.{self.fmt()}")
            self.output.setModified(True)
        else:
            self._suggest_output()
        self._update_plan()

    def _choice_changed(self) -> None:
        self._suggest_output()
        self._update_plan()

    def _suggest_output(self) -> None:
        """A name per stage, edition and part: an internal edition or one item's export saved over the dossier the
        reviewers get would replace it, and a file named as the 送审版 holding the gap list may be sent as one."""
        if self.output.isModified():
            return
        name = self.session.archive.title + (self.stage.currentText() or "")
        if self.edition.currentData() == "internal":
            name += "（内部版）"
        if self.code and self.only_current.isChecked():
            name += f"（{self.code}）"
        self.output.setText(os.path.join(self.settings.export_dir, f"{_safe_name(name)}.{self.fmt()}"))

    def _choose_output(self) -> None:
        fmt = self.fmt()
        path, _ = file_dialogs.get_save_file_name(self, "保存为", self.output.text(), f"*.{fmt}")
        if path:
            self.output.setText(path if path.lower().endswith(f".{fmt}") else f"{path}.{fmt}")
            self.output.setModified(True)

    # -- the plan, then the export ----------------------------------------------------------------------------
    def _update_plan(self) -> None:
        fmt, options, archive = self.fmt(), self.options(), self.session.archive
        self.plan.setText("正在统计将导出的内容…")
        self.made_plan = None  # a newer plan is on its way; an export started meanwhile reads for itself
        self.plans_asked += 1
        self.plan_job = run_job(self, "统计导出内容", lambda progress, cancel: plan_export(archive, fmt, options),
                                lambda plan, asked=self.plans_asked: self._show_plan(plan, asked),
                                lambda exc: self.plan.setText(describe_error(exc)), dialog=False)

    def _show_plan(self, plan, asked: int) -> None:
        if asked != self.plans_asked:
            return  # the user changed something since, or the archive did: a newer plan is on its way
        self.made_plan = plan
        self.plan.setText("\n".join(f"• {window_text(line)}" for line in plan.lines()))
        self._fit_plan()

    def _export(self) -> None:
        out = self.output.text().strip()
        if not out:
            QMessageBox.information(self, "导出", "请选择保存位置")
            return
        if os.path.exists(out) and QMessageBox.question(
                self, "文件已存在", f"{out}\n已经存在。要替换它吗？") != QMessageBox.StandardButton.Yes:
            return
        fmt, options, archive = self.fmt(), self.options(), self.session.archive
        self.settings.export_dir = os.path.dirname(os.path.abspath(out))
        self._remember(options)
        self.export_button.setEnabled(False)
        plan = self.made_plan  # made for the options shown (export checks) from the archive as it is now
        run_job(self, "导出", lambda progress, cancel: export(archive, fmt, out, options, progress, cancel, plan),
                self._done, self._failed, delay_ms=0)

    def _failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        if isinstance(exc, Cancelled):  # said in a box: the status bar may be off a small screen
            QMessageBox.information(self, "导出已取消", "导出已取消，没有生成文件。")
        else:
            show_error(self, "导出失败", exc)

    def _done(self, result) -> None:
        self.result = result
        text = f"已导出：{result.path}（{human_size(result.size)}）"
        if result.warnings:
            shown = [window_text(warning) for warning in result.warnings[:MAX_WARNINGS]]
            more = len(result.warnings) - len(shown)
            text += "\n\n注意：\n" + "\n".join(shown) + (f"\n……另有 {more} 条" if more > 0 else "")
        self.session.status_message(f"已导出：{result.path}")
        choice = completion_box(self, text)
        if choice == "file":
            open_file(self, str(result.path))
        elif choice == "folder":
            show_in_folder(self, str(result.path))
        self.accept()
