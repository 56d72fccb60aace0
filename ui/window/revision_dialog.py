"""The revision plan of a re-imported table, for approval before anything is written: which current item becomes which
new item (matched by text), grouped by outcome, with the linked folders that move under each item."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from criteria.revision import REMOVED, SAME, RevisionEntry, RevisionPlan
from criteria.revision_text import KIND_NAMES, entry_line, plan_lines, review_groups, summary

WARNING_COLOR = QColor("#c62828")
COLUMNS = ["原编号", "原名称", "新编号", "新名称", "关联"]


def _row(entry: RevisionEntry) -> list[str]:
    links = str(len(entry.links)) if entry.links else ""
    if entry.moves_links:
        links += " 个随之移动"
    elif entry.links and entry.kind == REMOVED:
        links += " 个保留，不转给其他项目"
    return [entry.old_code or "", entry.old_title if entry.old_code else "", entry.new_code or "",
            entry.new_title, links]


class RevisionDialog(QDialog):
    def __init__(self, plan: RevisionPlan, source: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("导入修订的评价细则：核对修订计划")
        self.resize(980, 600)
        headline = QLabel(f"{summary(plan)}\n来源：{source}")
        headline.setWordWrap(True)
        font = headline.font()
        font.setBold(True)
        headline.setFont(font)
        explain = QLabel("各项目按名称和评价标准的文字对应，而不是按编号：改编号的项目保留其关联、确认、得分和"
                         "整改问题；文字修订的项目保留关联，已有的确认改为“确认后有变更”；删除的项目保留其关联，"
                         "不转给沿用其编号的新项目。")
        explain.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(headline)
        layout.addWidget(explain)
        for warning in plan.warnings:
            label = QLabel(f"注意：{warning}")
            label.setWordWrap(True)
            label.setStyleSheet(f"color: {WARNING_COLOR.name()}")
            layout.addWidget(label)
        self.show_same = QCheckBox("显示未变化的项目")
        self.show_same.toggled.connect(self._fill)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self._fill()
        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton("应用修订", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.copy_button = QPushButton("复制计划")
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.show_same)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.buttons)

    def _fill(self) -> None:
        self.tree.clear()
        for kind, entries in review_groups(self.plan, self.show_same.isChecked()):
            group = QTreeWidgetItem([f"{KIND_NAMES[kind]}（{len(entries)}）"])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            for entry in entries:
                item = QTreeWidgetItem(_row(entry))
                item.setToolTip(1, entry_line(entry))
                item.setToolTip(3, entry_line(entry))
                if entry.moves_links:
                    for path in entry.links:
                        child = QTreeWidgetItem(["", f"← {path}"])
                        child.setToolTip(1, path)
                        item.addChild(child)
                group.addChild(item)
            group.setExpanded(kind != SAME)
        for column in (0, 2, 4):
            self.tree.resizeColumnToContents(column)

    def groups(self) -> dict[str, int]:
        """Shown group titles and their item counts (for tests)."""
        return {self.tree.topLevelItem(i).text(0): self.tree.topLevelItem(i).childCount()
                for i in range(self.tree.topLevelItemCount())}

    def copy(self) -> None:
        QGuiApplication.clipboard().setText("\n".join(plan_lines(self.plan, include_same=True)))
        self.copy_button.setText("已复制")


def approve_revision(parent: QWidget, plan: RevisionPlan, source: str) -> bool:
    """Show the plan; True when the clerk chose 应用修订."""
    return RevisionDialog(plan, source, parent).exec() == QDialog.DialogCode.Accepted

