"""The 自查自评 box under a criterion's details: item kind, self-assessed score (bounded by the points), deduction
note, lead and assisting units, deadline, and the criterion's rectification problems.

Edits are kept in the fields until 保存 (or until another criterion is chosen, which saves them); a save takes the
fields' values and hands the write to the app's writer (session.write), which compares them with the archive and
writes what changed; `saved` follows when it is written. A scoring item gets a spin box from 0 to its points;
a veto item without points 通过/否决; a parent shows the sum below it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from archive.assignments import KINDS, assign, effective_assignments, known_units, reset_units, split_unit_list
from archive.db import Archive
from common.text import format_points
from selfeval import rectify
from selfeval.scores import clear_score, set_score
from selfeval.sheet import SheetItem, load_sheet
from ui.common.widgets import DateField
from ui.common.worker import BackgroundJob, show_error
from ui.workspace.session import ArchiveSession

NO_DATE = QDate(2000, 1, 1)  # stands for 未设定 (shown empty)
VETO_CHOICES = (("未评", ""), ("通过", "通过"), ("否决", "否决"))
OVERDUE_STYLE = "color:#c62828; font-weight:bold;"


class SelfEvalBox(QGroupBox):
    saved = Signal(str)  # the code whose scores or assignment changed
    add_problem_requested = Signal(str)  # the code

    def __init__(self, session: ArchiveSession, parent: QWidget | None = None):
        super().__init__("自查自评", parent)
        self.session = session
        self.code: str | None = None
        self.item: SheetItem | None = None
        self.loading = False
        self.kind = QComboBox()
        self.kind.setMinimumContentsLength(12)  # "关键项（按目录）" in full: CJK glyphs are two "x" wide
        self.score = QDoubleSpinBox()
        self.score.setDecimals(2)
        self.score.setSingleStep(0.5)
        self.score.setSpecialValueText("未评分")
        self.veto = QComboBox()
        for text, value in VETO_CHOICES:
            self.veto.addItem(text, value)
        self.sum_label = QLabel()
        self.score_stack = QStackedWidget()
        for widget in (self.score, self.veto, self.sum_label):
            self.score_stack.addWidget(widget)
        self.maximum = QLabel()
        self.note = QLineEdit()
        self.note.setPlaceholderText("扣分说明，如：会议记录缺 2 次，扣 1 分")
        self.lead = QComboBox()
        self.lead.setEditable(True)
        self.lead.setMinimumContentsLength(9)
        self.lead.lineEdit().setPlaceholderText("按评价目录")
        self.assist = QLineEdit()
        self.assist.setPlaceholderText("配合单位，以顿号分隔")
        self.due = DateField(NO_DATE)  # empty = 未设定; typed or picked from a calendar opening at today
        self.due_hint = QLabel()
        self.clear_due = QPushButton("清除")
        self.clear_due.setToolTip("不设时限（上级项目的时限仍然适用）")
        self.problems = QLabel()
        self.add_problem = QPushButton("登记整改问题…")
        self.save_button = QPushButton("保存")
        self.revert_button = QPushButton("撤销修改")
        self._layout()
        self._connect()
        self.show_criterion(None)

    def _layout(self) -> None:
        grid = QGridLayout(self)
        grid.addWidget(QLabel("类别："), 0, 0)
        grid.addWidget(self.kind, 0, 1)
        grid.addWidget(QLabel("自评得分："), 0, 2)
        score_row = QHBoxLayout()
        score_row.addWidget(self.score_stack)
        score_row.addWidget(self.maximum)
        grid.addLayout(score_row, 0, 3)
        grid.addWidget(QLabel("扣分说明："), 0, 4)
        grid.addWidget(self.note, 0, 5)
        grid.addWidget(QLabel("牵头单位："), 1, 0)
        grid.addWidget(self.lead, 1, 1)
        grid.addWidget(QLabel("配合单位："), 1, 2)
        grid.addWidget(self.assist, 1, 3)
        grid.addWidget(QLabel("时限："), 1, 4)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due)
        due_row.addWidget(self.clear_due)
        due_row.addWidget(self.due_hint)
        due_row.addStretch()
        grid.addLayout(due_row, 1, 5)
        bottom = QHBoxLayout()
        bottom.addWidget(self.problems, 1)
        for button in (self.add_problem, self.save_button, self.revert_button):
            bottom.addWidget(button)
        grid.addLayout(bottom, 2, 0, 1, 6)
        grid.setColumnStretch(3, 1)
        grid.setColumnStretch(5, 2)

    def _connect(self) -> None:
        for signal in (self.kind.currentIndexChanged, self.score.valueChanged, self.veto.currentIndexChanged,
                       self.note.textEdited, self.lead.editTextChanged, self.assist.textEdited,
                       self.due.dateChanged):
            signal.connect(self._changed)
        self.clear_due.clicked.connect(lambda: self.due.setDate(NO_DATE))
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(lambda: self.show_criterion(self.code, save_first=False))
        self.add_problem.clicked.connect(lambda: self.code and self.add_problem_requested.emit(self.code))

    # -- showing ----------------------------------------------------------------------------------------------
    def show_criterion(self, code: str | None, save_first: bool = True) -> None:
        if save_first and self.dirty():
            self.save()
        self.code = code
        self.item = load_sheet(self.session.archive).by_code.get(code) if code else None
        self.loading = True
        try:
            self._fill()
        finally:
            self.loading = False
        self._set_dirty(False)

    def _fill(self) -> None:
        item = self.item
        self.setEnabled(item is not None)
        if item is None:
            self.problems.clear()
            return
        self.kind.clear()
        self.kind.addItem("按评价目录" if item.assignment.own_kind else f"{item.kind or '未分类'}（按目录）", "")
        for kind in KINDS:
            self.kind.addItem(kind, kind)
        self.kind.setCurrentIndex(self.kind.findData(item.kind) if item.assignment.own_kind else 0)
        self._fill_score(item)
        self.lead.clear()
        self.lead.addItems(known_units(self.session.archive))
        self.lead.setEditText(item.assignment.lead)
        self.assist.setText("、".join(item.assignment.assist))
        due = QDate.fromString(item.assignment.due, "yyyy-MM-dd") if item.assignment.due else NO_DATE
        self.due.setDate(due)
        self.due_hint.setText(item.assignment.due_whose)
        self.show_problems()

    def _fill_score(self, item: SheetItem) -> None:
        score = item.score
        self.note.setText(score.note if score else "")
        self.note.setEnabled(item.scoring)
        if item.scoring and item.maximum is not None:
            self.score.setRange(-0.5, item.maximum)  # the minimum is the "未评分" special value
            self.score.setValue(score.points if score and score.points is not None else -0.5)
            self.score_stack.setCurrentWidget(self.score)
            self.maximum.setText(f"/ {format_points(item.maximum)} 分")
        elif item.scoring:  # a veto item without points
            self.veto.setCurrentIndex(0 if score is None else 2 if score.failed else 1)
            self.score_stack.setCurrentWidget(self.veto)
            self.maximum.setText("（否决项）")
        else:
            total = "未评分" if item.total is None else f"合计 {format_points(round(item.total, 2))}"
            text = f"{total}（{item.scored}/{item.scoring_below} 项已评分）" if item.scoring_below else "无分值，不计分"
            self.sum_label.setText(text)
            self.score_stack.setCurrentWidget(self.sum_label)
            self.maximum.setText(f"/ {format_points(item.maximum)} 分" if item.maximum is not None else "")

    def show_problems(self) -> None:
        if not self.code:
            return
        items = rectify.list_all(self.session.archive, code=self.code)
        overdue = sum(1 for r in items if r.overdue())
        open_items = sum(1 for r in items if r.state != "verified")
        if not items:
            self.problems.setText("整改问题：无")
            return
        late = f"，<span style='{OVERDUE_STYLE}'>{overdue} 个逾期</span>" if overdue else ""
        self.problems.setText(f"整改问题（含下级项目）：{len(items)} 个，未完成 {open_items} 个{late}")

    # -- editing ----------------------------------------------------------------------------------------------
    def _changed(self, *_args) -> None:
        if not self.loading:
            self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def save_pending(self) -> None:
        """Save edits not yet saved (before a report reads the archive)."""
        if self.dirty():
            self.save()

    def dirty(self) -> bool:
        return self.item is not None and self.save_button.isEnabled()

    def save(self) -> BackgroundJob | None:
        """Queue the write of what changed (None when no criterion is shown). A refusal is shown, and the fields
        count as unsaved again if they still show that criterion."""
        if self.item is None:
            return None
        code, item = self.code, self.item
        edits = self._edits()
        by = self.session.settings.confirmer or None

        def failed(exc: BaseException) -> None:
            show_error(self, "保存自评失败", exc)
            if self.code == code:
                self._set_dirty(True)

        job = self.session.write("保存自评", lambda: write_edits(self.session.archive, item, edits, by),
                                 lambda _: self.saved.emit(code), failed)
        self._set_dirty(False)
        return job

    def _edits(self) -> Edits:
        due = "" if self.due.date() == NO_DATE else self.due.date().toString("yyyy-MM-dd")
        return Edits(self.lead.currentText().strip(), split_unit_list(self.assist.text()),
                     self.kind.currentData() or "", due, self.score.value(), self.veto.currentData(),
                     self.note.text().strip())


@dataclass(frozen=True)
class Edits:
    """The box's fields at the moment of saving."""

    lead: str
    assist: list[str]
    kind: str
    due: str
    points: float  # below 0: 未评分
    verdict: str  # "", 通过, 否决
    note: str


def write_edits(archive: Archive, item: SheetItem, edits: Edits, by: str | None) -> None:
    """On the writer: write the fields that differ from the archive (units, kind, deadline, then the score)."""
    _write_assignment(archive, item, edits)
    if item.scoring:
        _write_score(archive, item, edits, by)


def _write_assignment(archive: Archive, item: SheetItem, edits: Edits) -> None:
    current = effective_assignments(archive)[item.code]
    if not edits.lead:
        if current.own_units:
            reset_units(archive, item.code)
    elif (edits.lead, edits.assist) != (current.lead, current.assist):
        assign(archive, item.code, lead=edits.lead, assist=edits.assist)
    if edits.kind != (current.kind if current.own_kind else ""):
        assign(archive, item.code, kind=edits.kind or "自动")
    if edits.due != current.due:
        assign(archive, item.code, due=edits.due)


def _write_score(archive: Archive, item: SheetItem, edits: Edits, by: str | None) -> None:
    score, note = item.score, edits.note
    if item.maximum is not None:
        if edits.points < 0:
            if score is not None:
                clear_score(archive, item.code)
        elif score is None or score.points != edits.points or score.note != note:
            set_score(archive, item.code, edits.points, note=note, by=by)
        return
    if not edits.verdict:
        if score is not None:
            clear_score(archive, item.code)
    elif score is None or score.failed != (edits.verdict == "否决") or score.note != note:
        set_score(archive, item.code, edits.verdict, note=note, by=by)
