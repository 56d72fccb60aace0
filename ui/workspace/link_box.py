"""The detail panel's 关联的文件夹和文件 box: the folders and files linked to the shown criterion, the commands on
them (add a folder or files, unlink, open, show in folder, relocate), and the offer to re-point a link whose folder
was moved (ui/workspace/relocation.py finds it).

Every write goes through the ArchiveSession (on the writer); the box only asks, shows and forwards.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from archive.start_folder import evidence_start
from ui.common import file_dialogs
from ui.common.icons import state_color
from ui.common.shell import open_file, show_in_folder
from ui.common.widgets import FoldingBox, widget_action
from ui.workspace.session import ArchiveSession

MAX_LINK_ROWS = 4  # the list grows with its entries up to this many; the evidence table below gets the rest
IS_DIR_ROLE = Qt.ItemDataRole.UserRole + 1  # whether a link is a folder (else a file)


class LinkBox(FoldingBox):
    # its height changed or may have: a link more or less, the offer shown or hidden. The pane above the evidence
    # table fits itself again (ui/workspace/fitted_splitter.py), or the wrapped texts above lose lines to it
    content_changed = Signal()

    def __init__(self, session: ArchiveSession, parent: QWidget | None = None):
        super().__init__("关联的文件夹和文件", parent)
        self.session = session
        self.code: str | None = None
        self.links = QListWidget()
        self.links.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.links.setToolTip("可把文件夹或文件从资源管理器拖到此处关联")
        self.add_folder_button = QPushButton("添加文件夹…")
        self.add_files_button = QPushButton("添加文件…")
        self.remove_link_button = QPushButton("取消关联")
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.links)
        layout.addWidget(self._make_offer())
        buttons = QHBoxLayout()
        for button in (self.add_folder_button, self.add_files_button, self.remove_link_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout.addLayout(buttons)
        self._make_menu()
        self._connect()

    # -- construction ---------------------------------------------------------------------------------------
    def _make_menu(self) -> None:
        """The commands on a link, as a context menu and as keys: Enter opens, Delete unlinks."""
        def action(text: str, slot, key=None) -> QAction:
            return widget_action(self.links, text, slot, key)

        self.links.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.open_link_action = action("打开(&O)", self._open_link, Qt.Key.Key_Return)
        self.reveal_link_action = action("在文件夹中显示(&S)", self._reveal_link)
        self.unlink_action = action("取消关联(&U)", self._remove_link, QKeySequence.StandardKey.Delete)
        self.relocate_action = action("重新定位(&R)…", self._relocate)

    def _make_offer(self) -> QFrame:
        """"The folder is gone, one of the same name is there: re-point the link?" (ui/workspace/relocation.py)."""
        self.offer = QFrame()
        self.offer.setFrameShape(QFrame.Shape.StyledPanel)
        self.offer.setStyleSheet("QFrame { background: #fff8e1; }")
        self.offer_label = QLabel()
        self.offer_label.setWordWrap(True)
        self.offer_accept = QPushButton("重新定位到这里(&L)")
        self.offer_decline = QPushButton("不是它")
        row = QHBoxLayout(self.offer)
        row.setContentsMargins(6, 4, 6, 4)
        row.addWidget(self.offer_label, 1)
        row.addWidget(self.offer_accept)
        row.addWidget(self.offer_decline)
        self.offer.hide()
        self.offer_accept.clicked.connect(lambda: self._answer_offer(True))
        self.offer_decline.clicked.connect(lambda: self._answer_offer(False))
        return self.offer

    def _connect(self) -> None:
        self.session.relocation.offers_changed.connect(self._show_offer)
        self.add_folder_button.clicked.connect(self._add_folder)
        self.add_files_button.clicked.connect(self._add_files)
        self.remove_link_button.clicked.connect(self._remove_link)
        self.links.itemSelectionChanged.connect(self._update_buttons)

    # -- showing the links of a criterion ----------------------------------------------------------------------
    def show_links(self, code: str | None) -> None:
        """The links of `code` (None: an empty list, no offer); the selected link stays selected."""
        self.code = code
        if code is None:
            self.links.clear()
            self.offer.hide()
            self._update_buttons()
            return
        selected = self.selected_link()
        self.links.clear()
        for path, is_dir, reachable in self.session.links_of(code):
            text = path + ("" if reachable and os.path.exists(path) else "（无法访问）")
            icon = QStyle.StandardPixmap.SP_DirIcon if is_dir else QStyle.StandardPixmap.SP_FileIcon
            item = QListWidgetItem(self.style().standardIcon(icon), text)
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setData(IS_DIR_ROLE, bool(is_dir))
            item.setToolTip(path)
            if not reachable:
                item.setForeground(state_color("unreachable"))
            self.links.addItem(item)
            if path == selected:
                item.setSelected(True)
        if not self.links.count():
            hint = QListWidgetItem("尚未关联。点“添加文件夹…”，或把文件夹从资源管理器拖到这里。")
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.links.addItem(hint)
        self._fit_links()
        self._show_offer()
        self._update_buttons()
        self.content_changed.emit()

    def _fit_links(self) -> None:
        """As tall as its entries (up to four): the evidence table below gets the rest of the height."""
        row = max(self.links.sizeHintForRow(0), self.links.fontMetrics().height() + 4)
        shown = min(max(self.links.count(), 1), MAX_LINK_ROWS)
        self.links.setFixedHeight(row * shown + 2 * self.links.frameWidth() + 4)

    def selected_link(self) -> str | None:
        items = self.links.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _update_buttons(self) -> None:
        has_link = self.selected_link() is not None
        self.remove_link_button.setEnabled(has_link)
        for act in (self.unlink_action, self.open_link_action, self.reveal_link_action, self.relocate_action):
            act.setEnabled(has_link)

    # -- the offer to re-point a moved folder (or file) ------------------------------------------------------
    def _show_offer(self) -> None:
        found = self.session.relocation.offer_for(self.code)
        self.offer.setVisible(found is not None)
        if found is not None:
            lost, place = found
            watch = self.session.relocation
            self.offer_label.setText(f"关联的{watch.kind_of(lost)}“{os.path.basename(lost.rstrip(os.sep))}”找不到了。"
                                     f"在 {place} 有{watch.likeness(self.code, lost, place)}，"
                                     f"是它{watch.what_happened(self.code, lost, place)}吗？")
            self.offer_label.setToolTip(f"原位置：{lost}\n新位置：{place}")
        self.content_changed.emit()

    def _answer_offer(self, accept: bool) -> None:
        found = self.session.relocation.offer_for(self.code)
        if found is not None:
            answer = self.session.relocation.accept if accept else self.session.relocation.decline
            answer(self.code, found[0])

    # -- actions -------------------------------------------------------------------------------------------
    def _add_folder(self) -> None:
        start = evidence_start(self.session.archive, self.code)
        folder = file_dialogs.get_existing_directory(self, f"选择要关联到 {self.code} 的文件夹", start)
        if folder:
            self.session.link(self.code, [folder])

    def _add_files(self) -> None:
        start = evidence_start(self.session.archive, self.code)
        files, _ = file_dialogs.get_open_file_names(self, f"选择要关联到 {self.code} 的文件", start)
        if files:
            self.session.link(self.code, files)

    def _remove_link(self) -> None:
        path = self.selected_link()
        if path is None:
            return
        answer = QMessageBox.question(self, "取消关联", f"取消 {self.code} 与以下路径的关联？\n{path}\n\n"
                                      "只从档案中移除关联，文件本身不会被删除或改动。")
        if answer == QMessageBox.StandardButton.Yes:
            self.session.unlink(self.code, path)

    def _open_link(self) -> None:
        if (path := self.selected_link()) is not None:
            open_file(self, path)

    def _reveal_link(self) -> None:
        if (path := self.selected_link()) is not None:
            show_in_folder(self, path)

    def _relocate(self) -> None:
        """Point a link at its folder's (or file's) new place: same criterion, its files found there by a scan."""
        items = self.links.selectedItems()
        if not items:
            return
        path, is_dir = items[0].data(Qt.ItemDataRole.UserRole), items[0].data(IS_DIR_ROLE)
        start = os.path.dirname(path.rstrip(os.sep))
        start = start if os.path.isdir(start) else ""
        title = f"重新定位：{os.path.basename(path)} 现在在哪里？"
        if is_dir:
            place = file_dialogs.get_existing_directory(self, title, start)
        else:  # a linked file, renamed or moved: a folder would link all its neighbours
            place = file_dialogs.get_open_file_name(self, title, start)[0]
        if place:
            self.session.relocate(self.code, path, place)
