"""The first thing a clerk sees: recent archives, and big buttons for new, open and the demo."""

from __future__ import annotations

import os

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from archive.demo import is_demo
from ui.common.icons import app_pixmap
from ui.common.settings import Settings
from version import VERSION

INTRO = ("把各单位报送的证明材料文件夹关联到评价细则的每一项，随时看到哪些项目还缺材料、哪些材料在确认后又被改动，"
         "迎检前一键导出目录和材料汇编。所有文件只读取、不改动。")
DEMO_WHERE = "演示档案：材料是生成的示例，可随时重新生成"


class StartScreen(QWidget):
    new_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()
    recent_requested = Signal(str)
    task_requested = Signal()

    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.recent = QListWidget()
        self.recent.setIconSize(QSize(24, 24))
        self.recent.setSpacing(2)
        self.recent.itemActivated.connect(self._open_item)
        self._layout()
        self.refresh()

    def _layout(self) -> None:
        logo = QLabel()
        logo.setPixmap(app_pixmap(72))
        title = QLabel("迎检通")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel(f"创建国家食品安全示范城市迎检资料档案　版本 {VERSION}")
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        heading = QVBoxLayout()
        heading.addWidget(title)
        heading.addWidget(subtitle)
        header = QHBoxLayout()
        header.addWidget(logo)
        header.addLayout(heading, 1)

        actions = QVBoxLayout()
        for text, hint, signal in (
            ("新建档案…", "从内置模板或上级下发的评价细则表格（Excel/Word）建立档案", self.new_requested),
            ("打开档案…", "打开已有的档案文件（.rrdb）", self.open_requested),
            ("打开演示档案", "生成一份带示例材料的演示档案，先看看迎检通能做什么", self.demo_requested),
            ("打开任务包…", "各单位资料员：打开食安办下发的任务包（.zip），放入材料后导出证明材料包交回",
             self.task_requested),
        ):
            button = QPushButton(text)
            button.setMinimumHeight(44)
            button.setToolTip(hint)
            button.clicked.connect(signal)
            actions.addWidget(button)
            note = QLabel(hint)
            note.setWordWrap(True)
            note.setStyleSheet("color: #606060; margin-bottom: 10px;")
            actions.addWidget(note)
        actions.addStretch()
        self.new_button, self.open_button, self.demo_button, self.task_button = (
            actions.itemAt(i).widget() for i in (0, 2, 4, 6))

        recent_box = QGroupBox("最近打开的档案")
        recent_layout = QVBoxLayout(recent_box)
        recent_layout.addWidget(self.recent)
        self.empty_hint = QLabel("还没有打开过档案。可以新建档案，或先打开演示档案看看。")
        self.empty_hint.setWordWrap(True)
        recent_layout.addWidget(self.empty_hint)

        body = QHBoxLayout()
        body.addLayout(actions, 2)
        body.addWidget(recent_box, 3)
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMaximumWidth(1000)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(28, 24, 28, 24)
        card_layout.setSpacing(16)
        card_layout.addLayout(header)
        card_layout.addWidget(intro)
        card_layout.addLayout(body, 1)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 8)
        outer.addStretch(1)

    def refresh(self) -> None:
        self.recent.clear()
        for path in self.settings.recent():
            title = self.settings.recent_title(path)
            first = f"{title}（{os.path.basename(path)}）" if title else os.path.basename(path)
            # the demo's folder is in the user's data folder, a path nobody needs to read (its tooltip has it)
            where = DEMO_WHERE if is_demo(path) else os.path.dirname(path)
            item = QListWidgetItem(self.style().standardIcon(self.style().StandardPixmap.SP_FileIcon),
                                   f"{first}\n{where}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.recent.addItem(item)
        has_recent = self.recent.count() > 0
        self.recent.setVisible(has_recent)
        self.empty_hint.setVisible(not has_recent)

    def _open_item(self, item: QListWidgetItem) -> None:
        self.recent_requested.emit(item.data(Qt.ItemDataRole.UserRole))
