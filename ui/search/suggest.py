"""The review list of link suggestions: each unlinked folder or file with the criteria it most likely proves, why,
and how sure; accept or reject what is ticked, or accept every best suggestion above a score. A second tab lists
the criteria without evidence with the folders that most likely hold it. Every write (links, rejections) is a job
on the writer; the analysis too (it only reads, but it reads files and may take a while)."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive.linkset import shown_under
from archive.start_folder import evidence_start
from search.suggest import SuggestReport, accept, reject, remember_root, suggest
from ui.common import file_dialogs
from ui.common.worker import run_job

PAIR_ROLE = Qt.ItemDataRole.UserRole
DEFAULT_THRESHOLD = 0.5


class SuggestDialog(QDialog):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.report: SuggestReport | None = None
        self.titles = {c.code: c.title for c in session.criteria}
        self.setWindowTitle("关联建议")
        self.resize(1000, 620)
        self.summary = QLabel("正在分析…")
        self.summary.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setHeaderLabels(["文件夹或文件", "建议的评价项目", "得分", "依据"])
        self.table.setColumnWidth(0, 330)
        self.table.setColumnWidth(1, 260)
        self.table.setColumnWidth(2, 60)
        self.missing = QTreeWidget()
        self.missing.setHeaderLabels(["缺材料的评价项目 / 可能的材料", "得分"])
        self.missing.setColumnWidth(0, 700)
        self.tabs = tabs = QTabWidget()
        tabs.addTab(self.table, "未关联的文件夹和文件")
        tabs.addTab(self.missing, "缺材料的评价项目")
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0.05, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setValue(DEFAULT_THRESHOLD)
        buttons = QHBoxLayout()
        for text, slot in (("添加文件夹…", self.add_root), ("接受选中", self.accept_checked),
                           ("拒绝选中", self.reject_checked)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(QLabel("得分不低于"))
        buttons.addWidget(self.threshold)
        above = QPushButton("接受这些最佳建议")
        above.clicked.connect(self.accept_above)
        buttons.addWidget(above)
        close = QPushButton("关闭")
        close.clicked.connect(self.close)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(tabs, 1)
        layout.addLayout(buttons)

    # -- analysis ------------------------------------------------------------------------------------------
    def analyse(self, roots: list[str] | None = None) -> None:
        archive = self.session.archive
        run_job(self, "分析关联建议", lambda progress, cancel: suggest(archive, roots, progress, cancel),
                self.show_report)

    @Slot(object)
    def show_report(self, report: SuggestReport) -> None:
        self.report = report
        self.table.clear()
        for candidate in report.candidates:
            top = QTreeWidgetItem([shown_under(candidate.path, report.roots), "", "", ""])
            top.setToolTip(0, candidate.path)
            for rank, s in enumerate(candidate.suggestions):
                row = QTreeWidgetItem(["", f"{s.code} {self.titles.get(s.code, '')}", f"{s.score:.2f}", s.why])
                row.setToolTip(3, s.why)
                row.setData(0, PAIR_ROLE, (candidate.path, s.code))
                ticked = rank == 0 and s.score >= self.threshold.value()
                row.setCheckState(0, Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
                top.addChild(row)
            self.table.addTopLevelItem(top)
            top.setExpanded(True)
        self.missing.clear()
        for code, found in report.missing.items():
            item = QTreeWidgetItem([f"{code} {self.titles.get(code, '')}", ""])
            for path, score in found:
                child = QTreeWidgetItem([shown_under(path, report.roots), f"{score:.2f}"])
                child.setToolTip(0, path)
                item.addChild(child)
            self.missing.addTopLevelItem(item)
            item.setExpanded(True)
        # an empty list says why, and each tab says how many it holds
        if not report.candidates:
            _note(self.table, "没有建议：分析的文件夹下没有未关联的文件夹或文件，"
                              "或者它们的名称和文字与评价项目都对不上。可点“添加文件夹…”分析其他文件夹。")
        if not report.missing:
            _note(self.missing, "没有找到：没有缺材料的评价项目，或者未关联的文件里没有与它们相符的材料。")
        self.tabs.setTabText(0, f"未关联的文件夹和文件（{len(report.candidates)}）")
        self.tabs.setTabText(1, f"缺材料的评价项目（{len(report.missing)}）")
        where = roots_text(report.roots)
        self.summary.setText(f"分析了 {where}：{len(report.candidates)} 个未关联的文件夹或文件有建议，"
                             f"{len(report.missing)} 个缺材料的评价项目找到可能的材料。勾选后接受或拒绝；"
                             "拒绝的建议不会再出现。")

    # -- the user's choices ------------------------------------------------------------------------------------
    def checked_pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for n in range(self.table.topLevelItemCount()):
            top = self.table.topLevelItem(n)
            for k in range(top.childCount()):
                row = top.child(k)
                if row.checkState(0) == Qt.CheckState.Checked:
                    pairs.append(row.data(0, PAIR_ROLE))
        return pairs

    def pairs_above(self, threshold: float) -> list[tuple[str, str]]:
        if self.report is None:
            return []
        return [(c.path, c.suggestions[0].code) for c in self.report.candidates
                if c.suggestions and c.suggestions[0].score >= threshold]

    @Slot()
    def accept_checked(self) -> None:
        self._accept(self.checked_pairs())

    @Slot()
    def accept_above(self) -> None:
        self._accept(self.pairs_above(self.threshold.value()))

    def _accept(self, pairs: list[tuple[str, str]]) -> None:
        if not pairs:
            return
        archive = self.session.archive

        def done(linked) -> None:
            self.session.status_message(f"已接受 {len(linked)} 条关联建议")
            self.session.files_changed.emit([])
            self.analyse(self.report.roots if self.report else None)

        self.session.run_scanning("接受关联建议", lambda progress, cancel: accept(archive, pairs, progress, cancel),
                                  done)

    @Slot()
    def reject_checked(self) -> None:
        pairs = self.checked_pairs()
        if not pairs:
            return
        archive = self.session.archive

        def work(progress, cancel) -> None:
            for path, code in pairs:
                reject(archive, path, code)

        run_job(self, "拒绝关联建议", work, lambda _: self.analyse(self.report.roots if self.report else None),
                dialog=False)

    @Slot()
    def add_root(self) -> None:
        folder = file_dialogs.get_existing_directory(self, "选择证明材料总文件夹", evidence_start(self.session.archive))
        if folder:
            self.add_root_path(folder)

    def add_root_path(self, folder: str) -> None:
        archive = self.session.archive
        roots = sorted({*(self.report.roots if self.report else []), folder})
        run_job(self, "记住文件夹", lambda progress, cancel: remember_root(archive, folder),
                lambda _: self.analyse(roots), dialog=False)


def roots_text(roots: list[str]) -> str:
    """The analysed folders in a line: a few by path, many as their common folder and a count (a demo links ten
    unit folders under one 证明材料 folder; ten full paths fill the dialog)."""
    if not roots:
        return "（无：请添加证明材料总文件夹）"
    if len(roots) <= 2:
        return "、".join(roots)
    try:
        common = os.path.commonpath(roots)
    except ValueError:  # folders on different drives
        return f"{len(roots)} 个文件夹"
    return f"{common} 下的 {len(roots)} 个文件夹" if common else f"{len(roots)} 个文件夹"


def _note(tree: QTreeWidget, text: str) -> None:
    """One grey line across an empty list, saying why it is empty; it cannot be ticked."""
    item = QTreeWidgetItem([text])
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
    item.setForeground(0, tree.palette().placeholderText())
    item.setToolTip(0, text)
    tree.addTopLevelItem(item)
    item.setFirstColumnSpanned(True)
