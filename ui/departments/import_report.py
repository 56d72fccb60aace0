"""What an evidence-package import did: came in, changed (with the older version's new name), failed (and why),
linked, already there, and what became of the file information the unit typed (题名, 事由…: written, not written
and why, the office's own values kept). Grouped in a tree, with 复制报告 for pasting into a work log or a message to
the unit."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
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

from archive.linkset import is_under
from departments import ImportReport
from ui.common.shell import open_folder

FAILED_COLOR = QColor("#c62828")
NOTE_WIDTH = 420  # pixels at most for the 说明 column: the path column gets the rest
NOT_WRITTEN = "文件信息未写入"
WARNED = ("失败", NOT_WRITTEN)  # groups shown in red
OPEN_LIMIT = 200  # groups longer than this start collapsed: a first import of a large package lists thousands


def report_text(report: ImportReport) -> str:
    """The whole report as plain text: the core's lines, then the files that were already there."""
    return "\n".join(report.lines() + [f"无变化：{path}" for path in report.unchanged])


def _inside_unit(report: ImportReport, path: str) -> str:
    """A linked path as the other rows show theirs: relative to the unit's folder, forward slashes."""
    relative = os.path.relpath(path, report.folder) if is_under(path, report.folder) else path
    return relative.replace(os.sep, "/")


def report_groups(report: ImportReport) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group title, [(file, note)]) in the order a clerk reads them: what failed first, what is unchanged last."""
    return [
        ("失败", [(path, reason) for path, reason in report.failed]),
        (NOT_WRITTEN, [(path, f"{label}“{value}”：{why}") for path, label, value, why in report.meta.skipped]),
        ("新增", [(path, "") for path in report.added]),
        ("更新（旧版保留）", [(c.path, f"旧版另存为 {c.kept_as}") for c in report.changed]),
        ("新建关联", [(_inside_unit(report, path), f"关联到 {code}") for code, path in report.linked]),
        ("保留本办修改的文件信息", [(path, f"{label}：保留本办录入的值") for path, label in report.meta.kept]),
        ("无变化", [(path, "已导入过，内容相同") for path in report.unchanged]),
    ]


class ImportReportDialog(QDialog):
    def __init__(self, report: ImportReport, parent: QWidget | None = None):
        super().__init__(parent)
        self.report = report
        self.setWindowTitle("材料包导入结果")
        self.resize(900, 520)
        summary = QLabel(report.summary())
        summary.setWordWrap(True)
        font = summary.font()
        font.setBold(True)
        summary.setFont(font)
        location = QLabel(f"导入位置：{report.folder}")
        location.setWordWrap(True)
        self.meta_label = QLabel(report.meta_line())
        self.meta_label.setWordWrap(True)
        self.meta_label.setVisible(bool(report.meta_line()))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["文件", "说明"])
        self.tree.setUniformRowHeights(True)
        # a long path keeps its start and its file name; the whole of it is in the tooltip and in 复制报告
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self._fill()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.copy_button = QPushButton("复制报告")
        self.open_button = QPushButton("打开导入位置")
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        self.open_button.clicked.connect(lambda: open_folder(self, report.folder))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(location)
        layout.addWidget(self.meta_label)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.buttons)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()

    def _fill(self) -> None:
        for title, rows in report_groups(self.report):
            if not rows:
                continue
            group = QTreeWidgetItem([f"{title}（{len(rows)}）", ""])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            for path, note in rows:
                item = QTreeWidgetItem([path, note])
                item.setToolTip(0, path)
                item.setToolTip(1, note)
                if title in WARNED:
                    for column in (0, 1):
                        item.setForeground(column, QBrush(FAILED_COLOR))
                group.addChild(item)
            if title in WARNED:
                group.setForeground(0, QBrush(FAILED_COLOR))
            self.tree.addTopLevelItem(group)
            group.setExpanded(title != "无变化" and len(rows) <= OPEN_LIMIT)
        notes = [self.tree.fontMetrics().horizontalAdvance(note) for _, rows in report_groups(self.report)
                 for _, note in rows]
        self.tree.setColumnWidth(1, min(max(notes, default=0) + 24, NOTE_WIDTH))

    def groups(self) -> dict[str, int]:
        """Shown group titles and their row counts (for tests and the status line)."""
        return {self.tree.topLevelItem(i).text(0): self.tree.topLevelItem(i).childCount()
                for i in range(self.tree.topLevelItemCount())}

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(report_text(self.report))
        self.copy_button.setText("已复制")
