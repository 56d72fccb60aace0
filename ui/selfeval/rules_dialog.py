"""The pass rules of this archive's catalogue: veto items, the key items' minimum share, the total threshold."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QWidget,
)

from common.errors import UserError
from selfeval.rules import PassRules, load_rules, save_rules
from ui.common.worker import show_error
from ui.metadata.period import PeriodBox
from ui.workspace.session import ArchiveSession


def _spin(maximum: float, suffix: str, decimals: int = 1) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0, maximum)
    spin.setDecimals(decimals)
    spin.setSuffix(suffix)
    return spin


class RulesDialog(QDialog):
    def __init__(self, session: ArchiveSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("通过规则")
        self.setMinimumWidth(480)
        self.veto = QCheckBox("任一否决项被否决即不通过")
        self.key_on = QCheckBox("每个关键项得分不低于其分值的")
        self.key_ratio = _spin(100, " %", 0)
        self.total_on = QCheckBox("总分不低于")
        self.by_ratio = QRadioButton("满分（不含鼓励项）的")
        self.by_points = QRadioButton("固定分数")
        self.kinds = QButtonGroup(self)
        self.kinds.addButton(self.by_ratio)
        self.kinds.addButton(self.by_points)
        self.total_ratio = _spin(100, " %", 1)
        self.total_points = _spin(10000, " 分", 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        defaults = QPushButton("恢复默认")
        buttons.addButton(defaults, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons = buttons
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        defaults.clicked.connect(lambda: self.show_rules(PassRules()))
        form = QFormLayout(self)
        form.addRow(self.veto)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_on)
        key_row.addWidget(self.key_ratio)
        key_row.addStretch()
        form.addRow(key_row)
        form.addRow(self.total_on)
        for radio, spin in ((self.by_ratio, self.total_ratio), (self.by_points, self.total_points)):
            row = QHBoxLayout()
            row.addSpacing(24)
            row.addWidget(radio)
            row.addWidget(spin)
            row.addStretch()
            form.addRow(row)
        self.period = PeriodBox(session.archive)
        form.addRow(self.period)
        note = QLabel("规则保存在本档案中。鼓励项（加分项）的得分计入总分，但不计入满分。")
        note.setWordWrap(True)
        note.setStyleSheet("color:#555555;")
        form.addRow(note)
        form.addRow(buttons)
        for box in (self.key_on, self.total_on, self.by_ratio, self.by_points):
            box.toggled.connect(self._enable)
        self.show_rules(load_rules(session.archive))

    def show_rules(self, rules: PassRules) -> None:
        self.veto.setChecked(rules.veto)
        self.key_on.setChecked(rules.key_ratio is not None)
        self.key_ratio.setValue((rules.key_ratio if rules.key_ratio is not None else 0.6) * 100)
        self.total_on.setChecked(rules.total_points is not None or rules.total_ratio is not None)
        (self.by_points if rules.total_points is not None else self.by_ratio).setChecked(True)
        self.total_ratio.setValue((rules.total_ratio if rules.total_ratio is not None else 0.9) * 100)
        self.total_points.setValue(rules.total_points if rules.total_points is not None else 90)
        self._enable()

    def _enable(self) -> None:
        self.key_ratio.setEnabled(self.key_on.isChecked())
        total = self.total_on.isChecked()
        self.by_ratio.setEnabled(total)
        self.by_points.setEnabled(total)
        self.total_ratio.setEnabled(total and self.by_ratio.isChecked())
        self.total_points.setEnabled(total and self.by_points.isChecked())

    def rules(self) -> PassRules:
        total = self.total_on.isChecked()
        return PassRules(
            veto=self.veto.isChecked(),
            key_ratio=self.key_ratio.value() / 100 if self.key_on.isChecked() else None,
            total_ratio=self.total_ratio.value() / 100 if total and self.by_ratio.isChecked() else None,
            total_points=self.total_points.value() if total and self.by_points.isChecked() else None)

    def reject(self) -> None:
        if self.buttons.isEnabled():
            super().reject()

    def accept(self) -> None:
        """Saved by the writer; the dialog closes when the rules are written and stays open when refused."""
        if problem := self.period.problem():
            show_error(self, "保存创建周期失败", UserError(problem))
            return
        self.period.save(self.session)  # queued on the writer before the rules
        rules = self.rules()
        self.buttons.setEnabled(False)  # and reject() waits too: the write is under way

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            show_error(self, "保存通过规则失败", exc)

        self.session.write("保存通过规则", lambda: save_rules(self.session.archive, rules),
                           lambda _: QDialog.accept(self), failed)
