"""Edit the per-user settings: export folder, CJK font for PDF, confirmer name, monitor timing."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ui.common import file_dialogs
from ui.common.settings import Settings

FONT_FILTER = "TrueType 字体 (*.ttf *.ttc);;所有文件 (*)"


def _with_button(edit: QLineEdit, text: str, slot) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    button = QPushButton(text)
    button.clicked.connect(slot)
    row.addWidget(button)
    return row


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("设置")
        self.setMinimumWidth(560)
        self.export_dir = QLineEdit(settings.export_dir)
        self.font = QLineEdit(settings.cjk_font)
        self.font.setPlaceholderText("留空则自动查找（黑体、宋体、微软雅黑等）")
        self.confirmer = QLineEdit(settings.confirmer)
        self.confirmer.setPlaceholderText("留空则使用电脑登录名")
        self.quiet = QDoubleSpinBox()
        self.quiet.setRange(0.2, 60)
        self.quiet.setDecimals(1)
        self.quiet.setSuffix(" 秒")
        self.quiet.setValue(settings.quiet_period)
        self.poll = QDoubleSpinBox()
        self.poll.setRange(0, 3600)
        self.poll.setDecimals(0)
        self.poll.setSuffix(" 秒")
        self.poll.setSpecialValueText("默认")
        self.poll.setValue(settings.poll_interval)
        form = QFormLayout(self)
        form.addRow("默认导出文件夹：", _with_button(self.export_dir, "浏览…", self._choose_folder))
        form.addRow("PDF 中文字体：", _with_button(self.font, "选择…", self._choose_font))
        form.addRow("确认人：", self.confirmer)
        form.addRow("文件变动后等待：", self.quiet)
        form.addRow("", self._hint("文件停止变动这么久之后才核对，避免复制到一半的文件被当作变更。"))
        form.addRow("网络文件夹轮询间隔：", self.poll)
        form.addRow("", self._hint("网络共享文件夹无法实时通知变动，按此间隔检查一次。"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @staticmethod
    def _hint(text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setStyleSheet("color: #606060;")
        return label

    def _choose_folder(self) -> None:
        folder = file_dialogs.get_existing_directory(self, "默认导出文件夹", self.export_dir.text())
        if folder:
            self.export_dir.setText(folder)

    def _choose_font(self) -> None:
        path, _ = file_dialogs.get_open_file_name(self, "选择 PDF 中文字体", "C:/Windows/Fonts", FONT_FILTER)
        if path:
            self.font.setText(path)

    def accept(self) -> None:
        self.settings.export_dir = self.export_dir.text().strip()
        self.settings.cjk_font = self.font.text().strip()
        self.settings.confirmer = self.confirmer.text().strip()
        self.settings.quiet_period = self.quiet.value()
        self.settings.poll_interval = self.poll.value()
        self.settings.sync()
        super().accept()
