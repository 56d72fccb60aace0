"""帮助 → 使用说明 (F1): the built-in quick guide, a Chinese HTML page in ui/resources shown in a QTextBrowser.

Its pictures are screenshots of the app itself at 1366×768 (ui/resources/guide/, made by bench/ui_screenshots.py
--guide): shown scaled down smoothly beside the steps, and full size in a window of their own when clicked.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication, QImage, QPixmap, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

RESOURCES = Path(__file__).resolve().parent.parent / "resources"  # ui/resources
GUIDE = RESOURCES / "guide.html"
PICTURES = RESOURCES / "guide"
PICTURE_WIDTH = 640  # in the guide; a click shows the picture at its own size
FULL_SIZE = "full:"  # links to a picture: <a href="full:main.png">


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("迎检通 使用说明")
        self.resize(*self._size())
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)  # picture links open a viewer, nothing leaves the app
        self.browser.anchorClicked.connect(self._clicked)
        self.pictures = self._load_pictures()
        try:
            self.browser.setHtml(GUIDE.read_text(encoding="utf-8"))
        except OSError as exc:  # a broken installation: say where the guide should be
            self.browser.setPlainText(f"找不到使用说明文件：{GUIDE}（{exc.strerror or exc}）")
        self.viewer: PictureViewer | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

    def _size(self) -> tuple[int, int]:
        """Wide enough for the pictures, never larger than the screen."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else None
        width, height = PICTURE_WIDTH + 120, 640
        if area is not None:
            width, height = min(width, area.width() - 40), min(height, area.height() - 80)
        return width, height

    def _load_pictures(self) -> dict[str, QImage]:
        """Each picture as a document resource, scaled smoothly (the browser's own scaling is coarse)."""
        pictures = {}
        for path in sorted(PICTURES.glob("*.png")):
            image = QImage(str(path))
            if image.isNull():
                continue
            pictures[path.name] = image
            shown = image.scaledToWidth(min(PICTURE_WIDTH, image.width()), Qt.TransformationMode.SmoothTransformation)
            self.browser.document().addResource(QTextDocument.ResourceType.ImageResource, QUrl(path.name), shown)
        return pictures

    def _clicked(self, url: QUrl) -> None:
        name = url.toString().removeprefix(FULL_SIZE)
        if name in self.pictures:
            self.viewer = PictureViewer(name, self.pictures[name], self)
            self.viewer.show()


class PictureViewer(QDialog):
    """A guide picture at its own size, scrolling where the screen is smaller."""

    def __init__(self, name: str, image: QImage, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"使用说明：{name}")
        label = QLabel()
        label.setPixmap(QPixmap.fromImage(image))
        scroll = QScrollArea()
        scroll.setWidget(label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else None
        width, height = image.width() + 24, image.height() + 24
        if area is not None:
            width, height = min(width, area.width() - 20), min(height, area.height() - 60)
        self.resize(width, height)
