"""The search wing's commands on the main window: 全文检索 and 关联建议 in the 档案 menu, and the background text
reader attached to each open archive. The main window calls attach/detach as archives open and close."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow

from ui.search_indexer import TextIndexer
from ui.search_panel import SearchDialog
from ui.search_suggest import SuggestDialog


class SearchActions(QObject):
    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.indexer: TextIndexer | None = None
        self.dialogs: list = []
        self.search = QAction("全文检索…", window)
        self.search.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.search.setStatusTip("在所有材料的文字和文件名中查找，按评价项目分组列出")
        self.search.triggered.connect(self.open_search)
        self.suggest = QAction("关联建议…", window)
        self.suggest.setStatusTip("按名称和内容为未关联的文件夹建议评价项目；为缺材料的项目找可能的材料")
        self.suggest.triggered.connect(self.open_suggestions)
        self.actions = [self.search, self.suggest]
        self.label = QLabel()
        window.statusBar().addPermanentWidget(self.label)

    def update(self) -> None:
        for action in self.actions:
            action.setEnabled(self.window.session is not None)

    def attach(self, session) -> None:
        """A new archive is open: read its unread texts now, and after every change."""
        self.detach()
        self.indexer = TextIndexer(session)
        self.indexer.progress.connect(self.label.setText)
        self.indexer.schedule()

    def detach(self) -> None:
        if self.indexer is not None:
            self.indexer.stop()
            self.indexer = None
        for dialog in self.dialogs:
            dialog.close()
        self.dialogs.clear()
        self.label.clear()

    def open_search(self) -> SearchDialog | None:
        session = self.window.session
        if session is None:
            return None
        workspace = getattr(self.window, "workspace", None)
        code = workspace.current_code() if workspace is not None else None
        dialog = SearchDialog(session, code, self.window)
        self._keep(dialog)
        dialog.show()
        return dialog

    def open_suggestions(self) -> SuggestDialog | None:
        session = self.window.session
        if session is None:
            return None
        dialog = SuggestDialog(session, self.window)
        self._keep(dialog)
        dialog.show()
        dialog.analyse()
        return dialog

    def _keep(self, dialog) -> None:
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _=None, d=dialog: self.dialogs.remove(d) if d in self.dialogs else None)
