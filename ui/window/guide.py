"""帮助 → 使用说明 (F1): the built-in quick guide, a Chinese HTML page in ui/resources shown in a QTextBrowser."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

GUIDE = Path(__file__).resolve().parent.parent / "resources" / "guide.html"  # ui/resources


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("迎检通 使用说明")
        self.resize(760, 600)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        try:
            self.browser.setHtml(GUIDE.read_text(encoding="utf-8"))
        except OSError as exc:  # a broken installation: say where the guide should be
            self.browser.setPlainText(f"找不到使用说明文件：{GUIDE}（{exc.strerror or exc}）")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
