"""阶段对比: what changed since a chosen stage (or between two), per criterion, starting on the selected one.

The comparison runs in the background whenever a choice changes; the tree lists each criterion with its changes
(files added, changed, removed, moved, described otherwise; score; state; rectifications closed). 导出对照报告
writes the 整改前后对照 as Word, PDF or Excel.
"""

from __future__ import annotations

import os

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from stages.diff import CodeDiff, diff_stages, state_name
from stages.diff_report import KIND_NAMES, change_detail, score_text, span_text, totals_text, write_diff_report
from stages.records import list_stages
from ui.common import file_dialogs
from ui.common.shell import offer_to_open
from ui.common.worker import describe_error, run_job
from ui.workspace.session import ArchiveSession

NOW = "当前"
EXPAND_LIMIT = 200  # more criteria than this open collapsed
REPORT_FILTER = "Word 文档 (*.docx);;PDF (*.pdf);;Excel 工作簿 (*.xlsx)"


class DiffDialog(QDialog):
    def __init__(self, session: ArchiveSession, parent: QWidget | None = None, code: str | None = None):
        super().__init__(parent)
        self.session = session
        self.code = code
        self.diff = None  # the StageDiff shown
        self.report_path = None  # the last report written
        self.setWindowTitle("阶段对比")
        self.resize(900, 640)
        names = [stage.name for stage in list_stages(session.archive)]
        self.old = QComboBox()
        self.old.addItems(names)
        self.old.setCurrentIndex(len(names) - 1)  # the latest stage: "what changed since we submitted"
        self.new = QComboBox()
        self.new.addItems([NOW, *names])
        self.only = QCheckBox(f"只看当前项目 {code} 及其子项")
        self.only.setVisible(code is not None)
        self.only.setChecked(code is not None)
        self.summary = QLabel("还没有冻结的阶段：请先用“阶段 → 冻结当前材料”冻结一个阶段。" if not names else "")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["评价项目 / 变化", "说明"])
        self.tree.setColumnWidth(0, 420)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.report_button = self.buttons.addButton("导出对照报告…", QDialogButtonBox.ButtonRole.ActionRole)
        self.report_button.setEnabled(False)
        self._layout()
        self.old.currentIndexChanged.connect(lambda _: self.compare())
        self.new.currentIndexChanged.connect(lambda _: self.compare())
        self.only.toggled.connect(lambda _: self._fill())
        self.report_button.clicked.connect(self._choose_report)
        self.buttons.rejected.connect(self.reject)
        if names:
            self.compare()

    def _layout(self) -> None:
        choices = QHBoxLayout()
        choices.addWidget(QLabel("从阶段："))
        choices.addWidget(self.old, 1)
        choices.addWidget(QLabel("到："))
        choices.addWidget(self.new, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(choices)
        layout.addWidget(self.only)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.buttons)

    def compare(self) -> None:
        old, new = self.old.currentText(), self.new.currentText()
        if not old:
            return
        archive = self.session.archive
        self.diff = None
        self.report_button.setEnabled(False)
        self.summary.setText("正在对比…")
        self.tree.clear()
        run_job(self, "阶段对比", lambda progress, cancel: diff_stages(archive, old, None if new == NOW else new),
                lambda diff, asked=(old, new): self._show(diff, asked),
                lambda exc: self.summary.setText(describe_error(exc)), dialog=False)

    def _show(self, diff, asked) -> None:
        if asked != (self.old.currentText(), self.new.currentText()):
            return  # the user chose again since: a newer comparison is on its way
        self.diff = diff
        self.report_button.setEnabled(True)
        self._fill()

    def shown_codes(self) -> list[CodeDiff]:
        if self.diff is None:
            return []
        return self.diff.for_code(self.code) if self.code and self.only.isChecked() else self.diff.codes

    def _fill(self) -> None:
        if self.diff is None:
            return
        codes = self.shown_codes()
        scope = f"（{self.code} 及其子项：{len(codes)} 项有变化）" if self.code and self.only.isChecked() else ""
        self.summary.setText(f"{span_text(self.diff)}\n{totals_text(self.diff)}{scope}")
        self.tree.clear()
        for code in codes:
            item = QTreeWidgetItem([f"{code.code} {code.title}", _counts(code)])
            item.addChildren([_line(line) for line in change_lines(code)])
            self.tree.addTopLevelItem(item)
        if not codes and self.diff.codes:  # an empty list reads as "nothing changed": say where the changes are
            elsewhere = f"其他 {len(self.diff.codes)} 项有变化：取消勾选“只看当前项目”即可查看"
            self.tree.addTopLevelItem(QTreeWidgetItem([f"{self.code} 及其子项没有变化", elsewhere]))
        if len(codes) <= EXPAND_LIMIT:
            self.tree.expandAll()

    def _choose_report(self) -> None:
        name = f"整改前后对照（{self.diff.old_name}—{self.diff.new_name}）.docx"
        start = os.path.join(self.session.settings.export_dir, name)
        path, _ = file_dialogs.get_save_file_name(self, "导出对照报告", start, REPORT_FILTER)
        if path:
            self.write_report(path)

    def write_report(self, path: str) -> None:
        diff, archive, font = self.diff, self.session.archive, self.session.settings.cjk_font or None
        run_job(self, "导出对照报告", lambda progress, cancel: write_diff_report(archive, diff, path, font_path=font),
                self._reported, delay_ms=0)

    def _reported(self, path) -> None:
        self.report_path = path
        self.session.settings.export_dir = str(path.parent)
        offer_to_open(self, "导出完成", f"已生成对照报告：{path}", str(path))


def _line(texts) -> QTreeWidgetItem:
    """A change's line; its whole text on hover, as a long path is cut at the column's edge."""
    item = QTreeWidgetItem(list(texts))
    for column, text in enumerate(texts):
        item.setToolTip(column, text)
    return item


def _counts(code: CodeDiff) -> str:
    parts = [f"{KIND_NAMES[kind]} {len(changes)}" for kind, changes in code.files.items() if changes]
    if code.score:
        parts.append("得分变化")
    if code.state:
        parts.append("状态变化")
    if code.closed:
        parts.append(f"整改销号 {len(code.closed)}")
    return " · ".join(parts)


def change_lines(code: CodeDiff) -> list[tuple[str, str]]:
    """(what, detail) rows under a criterion in the comparison tree."""
    lines = []
    if code.catalogue:
        lines.append(("评价目录", "新增的项目" if code.catalogue == "added" else "已删除的项目"))
    if code.state:
        lines.append(("材料状态", f"{state_name(code.state[0])} → {state_name(code.state[1])}"))
    if code.score:
        lines.append(("自评得分", f"{score_text(code.score[0])} → {score_text(code.score[1])}"))
    for kind, changes in code.files.items():
        lines += [(f"{KIND_NAMES[kind]}：{change.rel}", change_detail(change)) for change in changes]
    for _, rect in code.closed:
        lines.append((f"整改销号：#{rect.id} {rect.text}", f"{rect.verified_by or ''} {rect.verified_at or ''}"))
    return lines
