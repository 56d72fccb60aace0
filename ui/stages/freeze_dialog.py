"""冻结当前材料: a stage's name and note, and whether to keep copies, with what that adds shown before it starts.

What will be frozen (and what copies would add to the store) is worked out in the background and shown first; the
freeze runs on the worker with a cancellable progress dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from stages.copystore import store_root
from stages.freeze import freeze, plan_freeze
from stages.records import list_stages
from ui.common.worker import describe_error, run_job
from ui.workspace.evidence_model import human_size
from ui.workspace.session import ArchiveSession

STAGE_NAMES = ("自查自评", "省级初评", "整改复查", "国家验收", "跟踪评价")


class FreezeDialog(QDialog):
    def __init__(self, session: ArchiveSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.result = None  # the FreezeResult when done
        self.plan_job = None
        self.setWindowTitle("冻结当前材料")
        self.setMinimumWidth(600)
        taken = {stage.name for stage in list_stages(session.archive)}
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems([name for name in STAGE_NAMES if name not in taken])
        self.note = QLineEdit()
        self.note.setPlaceholderText("如：提交省级初评前的材料")
        self.keep_copies = QCheckBox(f"保留文件副本（保存在档案旁的 {store_root(session.archive).name} 文件夹，"
                                     "按内容去重；原文件日后改动或删除时仍可按冻结时重建）")
        self.plan = QLabel("正在统计将冻结的内容…")
        self.plan.setWordWrap(True)
        self.plan.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.freeze_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.freeze_button.setText("冻结")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self._layout()
        self.keep_copies.toggled.connect(lambda _: self._update_plan())
        self.buttons.accepted.connect(self._freeze)
        self.buttons.rejected.connect(self.reject)
        self._update_plan()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("阶段名称：", self.name)
        form.addRow("备注：", self.note)
        form.addRow("", self.keep_copies)
        plan_box = QGroupBox("将冻结的内容")
        QVBoxLayout(plan_box).addWidget(self.plan)
        notice = QLabel("冻结后的阶段不能修改或删除。自上一阶段以来导出的汇编会一并记录。")
        notice.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(plan_box)
        layout.addWidget(notice)
        layout.addWidget(self.buttons)

    def _update_plan(self) -> None:
        keep, archive = self.keep_copies.isChecked(), self.session.archive
        self.plan.setText("正在统计将冻结的内容…" + ("（含需新增的副本大小）" if keep else ""))
        self.plan_job = run_job(self, "统计冻结内容", lambda progress, cancel: plan_freeze(archive, keep),
                                lambda plan, asked=keep: self._show_plan(plan, asked),
                                lambda exc: self.plan.setText(describe_error(exc)), dialog=False)

    def _show_plan(self, plan, asked: bool) -> None:
        if asked == self.keep_copies.isChecked():  # else a newer plan is on its way
            self.plan.setText("\n".join(f"• {line}" for line in plan.lines()))

    def _freeze(self) -> None:
        name, note, keep = self.name.currentText().strip(), self.note.text(), self.keep_copies.isChecked()
        if not name:
            QMessageBox.information(self, "冻结当前材料", "请填写阶段名称（如：省级初评）")
            return
        archive = self.session.archive
        self.freeze_button.setEnabled(False)
        # a fresh picture at the moment of freezing: the evidence may have changed while the dialog was open
        job = self.session.run("冻结阶段", lambda progress, cancel: freeze(archive, name, note, keep,
                                                                        progress=progress, cancel=cancel), self._done)
        job.failed.connect(lambda _exc: self.freeze_button.setEnabled(True))

    def _done(self, result) -> None:
        self.result = result
        stage = result.stage
        text = f"已冻结阶段“{stage.name}”（{stage.frozen_at}）：{stage.files} 个文件，{human_size(stage.bytes)}"
        if stage.exports:
            text += f"\n记录了 {len(stage.exports)} 份导出的汇编"
        if stage.copies:
            text += f"\n副本：新增 {result.copied_files} 个文件，共 {human_size(result.copied_bytes)}"
        self.session.status_message(f"已冻结阶段“{stage.name}”")
        QMessageBox.information(self, "冻结完成", text)
        self.accept()
