"""Reports of the self-evaluation: 自评报告, 进度通报, 整改台账, 单位任务清单; for all units or one, Word/PDF/Excel.

进度通报 and 任务清单 can also be written one file per unit into a folder (what a clerk sends to each department).
The report runs on the worker with a cancellable progress dialog; the folder opens when done.
"""

from __future__ import annotations

import os

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from common.names import safe_component
from exporters.reports import FORMATS, KIND_NAMES, PER_UNIT, write_report
from ui.common import file_dialogs
from ui.common.shell import open_folder, show_in_folder
from ui.common.widgets import browse_row
from ui.common.worker import run_job
from ui.selfeval.unit_scope import ALL_UNITS, UnitScope
from ui.workspace.session import ArchiveSession

REPORT_CHOICES = (("selfcheck", "自评报告：总体情况与预计结果、评分表、问题整改、材料完整性"),
                  ("bulletin", "进度通报：各单位进度、负责项目、缺少的材料、逾期整改"),
                  ("ledger", "整改台账（Excel）：每个整改问题一行，逾期标红"),
                  ("tasks", "单位任务清单：发给单位的牵头/配合项目、时限和整改任务"))
FORMAT_NAMES = {"docx": "Word 文档（.docx）", "pdf": "PDF（.pdf）", "xlsx": "Excel 工作簿（.xlsx）"}


class ReportDialog(QDialog):
    def __init__(self, session: ArchiveSession, scope: UnitScope, parent: QWidget | None = None,
                 kind: str = "selfcheck"):
        super().__init__(parent)
        self.session = session
        self.settings = session.settings
        self.open_folder_when_done = True
        self.result = None
        self.setWindowTitle("生成自评报告")
        self.setMinimumWidth(620)
        self.kinds = QButtonGroup(self)
        self.unit = QComboBox()
        self.unit.addItem(ALL_UNITS, "")
        for name in scope.units():
            self.unit.addItem(name, name)
        self.unit.setCurrentIndex(max(0, self.unit.findData(scope.unit)))
        self.per_unit = QCheckBox("每个单位各生成一份，保存到所选文件夹")
        self.format = QComboBox()
        self.output = QLineEdit()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.make_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.make_button.setText("生成")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self._layout()
        self._connect()
        self.set_kind(kind)

    def _layout(self) -> None:
        box = QGroupBox("报告")
        box_layout = QVBoxLayout(box)
        for number, (_, text) in enumerate(REPORT_CHOICES):
            button = QRadioButton(text)
            self.kinds.addButton(button, number)
            box_layout.addWidget(button)
        output_row = browse_row(self.output, self._choose_output)
        form = QFormLayout()
        form.addRow("单位：", self.unit)
        form.addRow("", self.per_unit)
        form.addRow("格式：", self.format)
        form.addRow("保存为：", output_row)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _connect(self) -> None:
        self.kinds.idToggled.connect(lambda _id, checked: checked and self._kind_changed())
        self.unit.currentIndexChanged.connect(lambda _: self._suggest_output())
        self.per_unit.toggled.connect(lambda _: self._options_changed())
        self.format.currentIndexChanged.connect(lambda _: self._suggest_output())
        self.output.textEdited.connect(lambda _: self.output.setModified(True))
        self.buttons.accepted.connect(self.make)
        self.buttons.rejected.connect(self.reject)

    # -- choices ----------------------------------------------------------------------------------------------
    def kind(self) -> str:
        return REPORT_CHOICES[max(0, self.kinds.checkedId())][0]

    def set_kind(self, kind: str) -> None:
        self.kinds.button([k for k, _ in REPORT_CHOICES].index(kind)).setChecked(True)
        self._kind_changed()

    def fmt(self) -> str:
        return self.format.currentData() or FORMATS[self.kind()][0]

    def folder_mode(self) -> bool:
        return self.per_unit.isEnabled() and self.per_unit.isChecked()

    def _kind_changed(self) -> None:
        kind = self.kind()
        self.setWindowTitle(f"生成{KIND_NAMES[kind]}")
        self.format.blockSignals(True)
        self.format.clear()
        for fmt in FORMATS[kind]:
            self.format.addItem(FORMAT_NAMES[fmt], fmt)
        self.format.blockSignals(False)
        self.per_unit.setEnabled(kind in PER_UNIT)
        if kind == "tasks" and not self.unit.currentData():
            self.per_unit.setChecked(True)
        self._options_changed()

    def _options_changed(self) -> None:
        self.unit.setEnabled(not self.folder_mode())
        self.output.setModified(False)
        self._suggest_output()

    def _suggest_output(self) -> None:
        if self.output.isModified():
            return
        folder = self.settings.export_dir
        if self.folder_mode():
            self.output.setText(folder)
            return
        unit = self.unit.currentData()
        name = safe_component(f"{self.session.archive.title}{unit or ''}{KIND_NAMES[self.kind()]}.{self.fmt()}", 100)
        self.output.setText(os.path.join(folder, name))

    def _choose_output(self) -> None:
        if self.folder_mode():
            path = file_dialogs.get_existing_directory(self, "保存到文件夹", self.output.text())
        else:
            fmt = self.fmt()
            path, _ = file_dialogs.get_save_file_name(self, "保存为", self.output.text(), f"*.{fmt}")
            if path and not path.lower().endswith(f".{fmt}"):
                path = f"{path}.{fmt}"
        if path:
            self.output.setText(path)
            self.output.setModified(True)

    # -- the report -------------------------------------------------------------------------------------------
    def make(self) -> None:
        out = self.output.text().strip()
        if not out:
            QMessageBox.information(self, self.windowTitle(), "请选择保存位置")
            return
        kind, fmt, archive = self.kind(), self.fmt(), self.session.archive
        unit = None if self.folder_mode() else (self.unit.currentData() or None)
        if kind == "tasks" and not unit and not self.folder_mode():
            QMessageBox.information(self, self.windowTitle(), "请选择单位，或勾选“每个单位各生成一份”")
            return
        self.settings.export_dir = out if self.folder_mode() else os.path.dirname(os.path.abspath(out))
        font = self.settings.cjk_font or None
        self.make_button.setEnabled(False)
        job = run_job(self, self.windowTitle(), lambda progress, cancel: write_report(
            archive, kind, out, unit=unit, fmt=fmt, progress=progress, cancel=cancel, font_path=font),
            self._done, delay_ms=0)
        job.failed.connect(lambda _exc: self.make_button.setEnabled(True))

    def _done(self, result) -> None:
        self.result = result
        paths = [str(p) for p in result.paths]
        self.session.status_message(f"已生成{KIND_NAMES[self.kind()]}：{paths[0] if len(paths) == 1 else len(paths)}")
        if self.open_folder_when_done:
            if len(paths) == 1:
                show_in_folder(self, paths[0])
            else:
                open_folder(self, os.path.dirname(paths[0]))
        shown = "\n".join(paths[:10]) + (f"\n……共 {len(paths)} 个文件" if len(paths) > 10 else "")
        QMessageBox.information(self, "报告已生成", f"已生成{KIND_NAMES[self.kind()]}：\n{shown}")
        self.accept()
