"""The search wing's commands on the main window: 全文检索 and 关联建议 in the 档案 menu, and the background text
reader attached to each open archive (attach/detach, as archives open and close)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from search import ocr
from search.texts import ocr_work
from ui.common.extensions import MenuEntry, WindowFeature
from ui.common.statusline import show_message
from ui.search.indexer import TextIndexer
from ui.search.panel import SearchDialog
from ui.search.suggest import SuggestDialog

OCR_KEY = "search/ocr"  # off unless the user turns it on (it needs requirements-ocr.txt)


class SearchActions(QObject, WindowFeature):
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
        self.suggest.triggered.connect(lambda: self.open_suggestions())
        self.ocr = QAction("识别图片文字（OCR）…", window)
        self.ocr.setStatusTip("识别照片、签到表和扫描件中的文字，供检索和关联建议使用（可选组件，默认关闭）")
        self.ocr.triggered.connect(self.turn_on_ocr)
        self.actions = [self.search, self.suggest, self.ocr]
        self.label = QLabel()
        window.statusBar().addPermanentWidget(self.label)

    def menu_entries(self) -> list[MenuEntry]:
        return [MenuEntry("archive", "index", tuple(self.actions))]

    def archive_opened(self, session) -> None:
        self.attach(session)

    def archive_closed(self) -> None:
        self.detach()

    def update(self) -> None:
        for action in self.actions:
            action.setEnabled(self.window.session is not None)

    def attach(self, session) -> None:
        """A new archive is open: read its unread texts now, and after every change."""
        self.detach()
        self.indexer = TextIndexer(session)
        self.indexer.progress.connect(self.label.setText)
        self.indexer.ocr = self.ocr_enabled() and ocr.available()
        self.indexer.schedule()

    def detach(self) -> None:
        if self.indexer is not None:
            self.indexer.stop()
            self.indexer = None
        for dialog in self.dialogs:
            dialog.close()
        self.dialogs.clear()
        self.label.clear()

    def ocr_enabled(self) -> bool:
        return str(self.window.settings.qsettings.value(OCR_KEY, "false")).lower() == "true"

    def turn_on_ocr(self) -> bool:
        """Say what OCR will read and how long it will take; turn it on (a setting) if the user agrees."""
        session = self.window.session
        if session is None:
            return False
        if not ocr.available():
            QMessageBox.information(self.window, "识别图片文字", ocr.missing_message() + "。")
            return False
        images, pages = ocr_work(session.archive.conn)
        minutes = ocr.estimate_seconds(images, pages) / 60
        text = (f"将在后台识别 {images} 张图片、{pages} 页扫描件中的文字，预计约 {minutes:.0f} 分钟"
                "（期间可以照常使用）。以后新增的图片也会自动识别。\n\n现在开始吗？")
        answer = QMessageBox.question(self.window, "识别图片文字", text)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.window.settings.qsettings.setValue(OCR_KEY, True)
        if self.indexer is not None:
            self.indexer.ocr = True
            self.indexer.start()
        return True

    def open_search(self) -> SearchDialog | None:
        session = self.window.session
        if session is None:
            return None
        code = self.window.workspace.current_code() if self.window.workspace is not None else None
        dialog = SearchDialog(session, code, self.window,
                              status=lambda text: show_message(self.window.statusBar(), text, 15000))
        self._keep(dialog)
        dialog.show()
        return dialog

    def open_suggestions(self, roots: list[str] | None = None) -> SuggestDialog | None:
        """关联建议 for the folders under `roots` (the folder automap was given), else under those the clerk chose
        before, or beside the linked folders (search.suggest.default_roots)."""
        session = self.window.session
        if session is None:
            return None
        dialog = SuggestDialog(session, self.window)
        self._keep(dialog)
        dialog.show()
        dialog.analyse(roots)
        return dialog

    def _keep(self, dialog) -> None:
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _=None, d=dialog: self.dialogs.remove(d) if d in self.dialogs else None)
