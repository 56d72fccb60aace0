"""The projected result of the self-evaluation in the overview: 通过/不通过 (尚未评完 while only unscored items hold it
back), the total against the threshold, the rules, and the items holding the result back (click one to go to it).
With a unit chosen, also that unit's share."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from common.text import format_points
from selfeval.rules import FAIL, PASS, UNKNOWN, Projection, load_rules, project
from selfeval.sheet import load_sheet
from ui.workspace.session import ArchiveSession

RESULT_COLORS = {PASS: "#2e7d32", FAIL: "#c62828"}
MAX_DEDUCTIONS = 5
LIST_ROWS = 4


class ProjectionBox(QGroupBox):
    criterion_activated = Signal(str)
    rules_requested = Signal()

    def __init__(self, session: ArchiveSession, parent: QWidget | None = None):
        super().__init__("自查自评测算", parent)
        self.session = session
        self.unit = ""
        self.projection: Projection | None = None
        self.result = QLabel()
        font = self.result.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.result.setFont(font)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.rules = QLabel()
        self.rules.setWordWrap(True)
        self.rules.setStyleSheet("color:#555555;")
        self.unit_line = QLabel()
        self.blocking = QListWidget()
        self.rules_button = QPushButton("通过规则…")
        top = QHBoxLayout()
        top.addWidget(self.result)
        text = QVBoxLayout()
        text.addWidget(self.headline)
        text.addWidget(self.rules)
        text.addWidget(self.unit_line)
        top.addLayout(text, 1)
        top.addWidget(self.rules_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.blocking)
        self.blocking.itemActivated.connect(self._activate)
        self.rules_button.clicked.connect(self.rules_requested)
        self.refresh()

    def set_unit(self, unit: str) -> None:
        self.unit = unit
        self.refresh()

    def refresh(self) -> None:
        sheet = load_sheet(self.session.archive)
        self.projection = projection = project(sheet, load_rules(self.session.archive))
        color = RESULT_COLORS.get(projection.verdict, "#616161")
        self.result.setText(f"<span style='color:{color}'>{projection.verdict}</span>")
        self.headline.setText(projection.progress() if projection.result != UNKNOWN else projection.headline())
        self.rules.setText("通过规则：" + ("；".join(projection.rules) or "未设规则"))
        self._unit_share(sheet)
        self.blocking.clear()
        for blocker in projection.blocking:
            label, color = ("待评分", "#616161") if blocker.pending else ("影响通过", "#c62828")
            self._add_row(f"{label}：{blocker.line()}", blocker.code, color)
        for code, title, lost in projection.deductions[:MAX_DEDUCTIONS]:
            self._add_row(f"扣分：{code} {title} 扣 {format_points(round(lost, 2))} 分", code, "#444444")
        if not self.blocking.count():
            self._add_row("没有影响通过的项目" if projection.result == PASS else "尚无评分", None, "#444444")
        self._fit_list()

    def _fit_list(self) -> None:
        """Whole rows only: LIST_ROWS of them, scrolling for the rest. Laid-out rows can differ from the size hint
        (CJK fallback fonts), so the real row height is used once the list is shown."""
        shown = self.blocking.visualItemRect(self.blocking.item(0)).height() if self.blocking.isVisible() else 0
        row = shown or max(self.blocking.sizeHintForRow(0), self.blocking.fontMetrics().height() + 4)
        self.blocking.setFixedHeight(row * LIST_ROWS + 2 * self.blocking.frameWidth())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_list()

    def _unit_share(self, sheet) -> None:
        if not self.unit:
            self.unit_line.clear()
            return
        mine = [i for i in sheet.for_unit(self.unit) if i.scoring]
        earned = sum(i.score.points for i in mine if i.score and i.score.points is not None)
        maximum = sum(i.maximum or 0.0 for i in mine)
        scored = sum(1 for i in mine if i.score)
        self.unit_line.setText(f"{self.unit}：负责计分项目 {len(mine)} 项（已评 {scored} 项），"
                               f"得分 {format_points(round(earned, 2))} / {format_points(maximum)} 分")

    def _add_row(self, text: str, code: str | None, color: str) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, code)
        item.setForeground(QBrush(QColor(color)))
        item.setToolTip(text)
        self.blocking.addItem(item)

    def _activate(self, item: QListWidgetItem) -> None:
        code = item.data(Qt.ItemDataRole.UserRole)
        if code:
            self.criterion_activated.emit(code)

