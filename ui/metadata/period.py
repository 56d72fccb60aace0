"""The creation period (创建周期) in the window: set in the rules dialog, and counted at the top of the overview.

Files dated outside it (成文日期, a photo's 时间) have the problem 日期不在创建周期内 in the evidence table and the
criteria tree's problem counts (archive.metadata.period).
"""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QGroupBox, QHBoxLayout, QLabel, QWidget

from archive.metadata.period import clear_period, describe_period, load_period, period_problems, save_period

DATE_FORMAT = "yyyy-MM-dd"


def _date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    return edit


class PeriodBox(QGroupBox):
    """A checkable group: checked means the archive has a period, from one date to the other."""

    def __init__(self, archive, parent: QWidget | None = None):
        super().__init__("创建周期（成文日期不在其中的材料标为问题）", parent)
        self.setCheckable(True)
        self.start, self.end = _date_edit(), _date_edit()
        layout = QHBoxLayout(self)
        for widget in (QLabel("自"), self.start, QLabel("至"), self.end):
            layout.addWidget(widget)
        layout.addStretch()
        period = load_period(archive)
        self.setChecked(period is not None)
        start, end = period or ("2024-01-01", "2026-06-30")
        self.start.setDate(QDate.fromString(start, DATE_FORMAT))
        self.end.setDate(QDate.fromString(end, DATE_FORMAT))

    def value(self) -> tuple[str, str] | None:
        if not self.isChecked():
            return None
        return self.start.date().toString(DATE_FORMAT), self.end.date().toString(DATE_FORMAT)

    def problem(self) -> str | None:
        """Why the period as shown cannot be saved, or None."""
        value = self.value()
        if value is not None and value[0] > value[1]:
            return f"创建周期的开始日期 {value[0]} 晚于结束日期 {value[1]}"
        return None

    def save(self, session) -> None:
        """Write the period (or its absence) through the writer."""
        value, archive = self.value(), session.archive

        def work(progress, cancel) -> None:
            if value is None:
                clear_period(archive)
            else:
                save_period(archive, *value)

        session.run("保存创建周期", work, dialog=False)


class PeriodSummary(QLabel):
    """"创建周期：2024-01-01 至 2026-06-30；3 个文件的日期不在创建周期内", above the overview."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWordWrap(True)
        session.refreshed.connect(lambda _changed: self.update_text())
        self.update_text()

    def update_text(self) -> None:
        archive = self.session.archive
        period = load_period(archive)
        if period is None:
            self.setText("创建周期：未设置（在“通过规则”中设置后，日期不在周期内的材料会标为问题）")
            return
        outside = len(period_problems(archive))
        warning = (f"；<span style='color:#c62828'>{outside} 个文件的日期不在创建周期内</span>"
                   "（<a href='problems'>查看有问题的材料</a>）") if outside else ""
        self.setText(f"创建周期：{describe_period(period)}{warning}")
