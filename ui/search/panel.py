"""The search box: type words, see the files that say them grouped by criterion, each with the text around the
match and its page; a double click opens the file, a PDF at the matched page where the user's PDF program can be
told the page (search/pdf_viewer.py), else the page is named in the status line."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from common.errors import UserError
from search import schema
from search.pdf_viewer import open_pdf_at_page
from search.query import Scope, search, where_text
from search.texts import pending_count
from ui.common.shell import show_in_folder

PATH_ROLE = Qt.ItemDataRole.UserRole
PAGE_ROLE = Qt.ItemDataRole.UserRole + 1
UNLINKED = "（未关联评价项目）"
SNIPPET_LEAD = 12  # characters shown before the match: the column is narrower than the core's snippet


def shown_snippet(snippet: str, lead: int = SNIPPET_LEAD) -> str:
    """The snippet as the 内容 column shows it: the match (in 【】) near the start, where the column does not cut it
    off; the whole snippet is the tooltip."""
    at = snippet.find("【")
    if at <= lead + 1:
        return snippet
    return "…" + snippet[at - lead:]


class SearchDialog(QDialog):
    def __init__(self, session, current_code=None, parent: QWidget | None = None,
                 status: Callable[[str], None] | None = None):
        super().__init__(parent)
        self.session = session
        self.current_code = current_code
        self.status = status  # the main window's status bar: the page to turn to stays there after the dialog closes
        self.setWindowTitle("全文检索")
        self.resize(900, 600)
        self.box = QLineEdit()
        self.box.setPlaceholderText("输入要查找的文字，多个词用空格分隔，如：农贸市场 快检 台账")
        self.box.setClearButtonEnabled(True)
        self.box.returnPressed.connect(self.run)
        self.only_current = QCheckBox("只查当前评价项目")
        self.only_current.setEnabled(current_code is not None)
        go = QPushButton("检索")
        go.clicked.connect(self.run)
        row = QHBoxLayout()
        row.addWidget(self.box, 1)
        row.addWidget(self.only_current)
        row.addWidget(go)
        self.summary = QLabel()
        self.results = QTreeWidget()
        self.results.setHeaderLabels(["文件", "位置", "内容"])
        self.results.setColumnWidth(0, 320)
        self.results.setColumnWidth(1, 80)
        self.results.itemActivated.connect(self.open_item)
        reveal = QPushButton("在文件夹中显示")
        reveal.clicked.connect(self.reveal)
        close = QPushButton("关闭")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(reveal)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        layout.addLayout(buttons)
        self.titles = {c.code: c.title for c in session.criteria}

    @Slot()
    def run(self) -> None:
        query = self.box.text().strip()
        self.results.clear()
        if not query:
            self.summary.setText("")
            return
        # A connection of its own: the shared one may be inside the writer's half-done transaction (a batch of
        # texts replaced: dropped, not yet written back), which would show as no hits at all.
        with self.session.archive.snapshot() as view:
            scope = Scope(view.conn, code=self.current_code) if self.only_current.isChecked() else None
            hits = search(view.conn, query, scope)
            summary = self._summary(view.conn, len(hits))
        groups: dict[str, QTreeWidgetItem] = {}
        names = Counter(os.path.basename(hit.path) for hit in hits)
        for hit in hits:
            for code in hit.codes or [UNLINKED]:
                group = groups.get(code)
                if group is None:
                    group = QTreeWidgetItem([self._group_name(code), "", ""])
                    group.setFirstColumnSpanned(False)
                    groups[code] = group
                item = QTreeWidgetItem([_shown_name(hit.path, names), where_text(hit), shown_snippet(hit.snippet)])
                item.setToolTip(0, hit.path)
                item.setToolTip(2, hit.snippet)
                item.setData(0, PATH_ROLE, hit.path)
                item.setData(0, PAGE_ROLE, hit.page)
                group.addChild(item)
        for code in sorted(groups, key=_code_key):
            group = groups[code]
            group.setText(0, f"{self._group_name(code)}（{group.childCount()}）")
            self.results.addTopLevelItem(group)
            group.setExpanded(True)
        self.summary.setText(summary)

    def _group_name(self, code: str) -> str:
        if code == UNLINKED:
            return code
        return f"{code} {self.titles.get(code, '整改材料' if code.startswith('R') else '')}".strip()

    @staticmethod
    def _summary(conn, count: int) -> str:
        text = f"找到 {count} 个文件" if count else "没有找到"
        waiting = pending_count(conn)
        if not schema.has_tables(conn):
            text += "；文字尚未提取，目前只按文件名检索"
        elif waiting:
            text += f"；还有 {waiting} 个文件的文字正在后台提取"
        return text

    def selected_path(self) -> tuple[str | None, int | None]:
        item = self.results.currentItem()
        if item is None:
            return None, None
        return item.data(0, PATH_ROLE), item.data(0, PAGE_ROLE)

    @Slot(QTreeWidgetItem)
    def open_item(self, item: QTreeWidgetItem) -> None:
        path, page = item.data(0, PATH_ROLE), item.data(0, PAGE_ROLE)
        if not path:
            return
        try:
            at_page = open_pdf_at_page(path, page)
        except UserError as exc:
            QMessageBox.warning(self, "无法打开", str(exc))
            return
        name = os.path.basename(path)
        if at_page:
            self.tell(f"已在第 {page} 页打开 {name}")
        else:
            self.tell(f"已打开 {name}" + (f"，请翻到第 {page} 页（此程序不能直接打开到指定页）" if page else ""))

    def tell(self, text: str) -> None:
        """The dialog's status line, and the main window's status bar (the dialog may be closed by then)."""
        self.summary.setText(text)
        if self.status is not None:
            self.status(text)

    @Slot()
    def reveal(self) -> None:
        path, _ = self.selected_path()
        if path:
            show_in_folder(self, path)


def _code_key(code: str) -> tuple:
    if code == UNLINKED:
        return (2,)
    if code.startswith("R"):
        return (1, code)
    return (0, tuple(int(p) if p.isdigit() else 0 for p in code.split(".")))


def _shown_name(path: str, names: Counter) -> str:
    """The file's name, and its folder's when another hit has the same name (a copy, or this year's and last's)."""
    name = os.path.basename(path)
    return f"{name}（{os.path.basename(os.path.dirname(path))}）" if names[name] > 1 else name
