"""照片说明: a photo's thumbnail beside its caption (题名 and the six elements 事由, 时间, 地点, 人物, 背景, 摄影者),
photo after photo. The thumbnail is decoded small (QImageReader scales JPEGs while decoding) and turned upright by
its EXIF orientation. Changes are written (undoably, by the writer) when the clerk saves or moves to another photo.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImageReader, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from archive.metadata.fields import LABELS, ORIGIN_NAMES, READ, TYPED, normalize
from archive.metadata.store import FileMeta, Value
from common.errors import UserError
from exporters.picture_slices import is_long
from ui.metadata.model import READ_COLOR

CAPTION_KEYS = ("title", "subject", "time", "place", "people", "background", "photographer", "note")
THUMBNAIL = QSize(420, 420)


def thumbnail(path: str, box: QSize = THUMBNAIL) -> QPixmap:
    """The picture at most `box` large, upright; an empty pixmap when it cannot be read. Of a long screenshot (a
    WeChat notice: exporters.picture_slices), its top at the box's width: whole, it was a strip a few pixels wide."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)  # EXIF orientation
    size = reader.size()
    if size.isValid() and is_long(size.width(), size.height()):
        width = min(box.width(), size.width())
        reader.setScaledSize(QSize(width, round(size.height() * width / size.width())))
        reader.setScaledClipRect(QRect(0, 0, width, box.height()))
    elif size.isValid() and (size.width() > box.width() or size.height() > box.height()):
        reader.setScaledSize(size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return QPixmap()
    pixmap = QPixmap.fromImage(image)
    if pixmap.width() > box.width() or pixmap.height() > box.height():  # turned on its side by the orientation
        pixmap = pixmap.scaled(box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    return pixmap


class CaptionDialog(QDialog):
    def __init__(self, editor, metas: list[FileMeta], start: int = 0, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor = editor
        self.metas = metas
        self.position = start
        self.setWindowTitle("照片说明")
        self.picture = QLabel()
        self.picture.setFixedSize(THUMBNAIL)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setStyleSheet("background:#f0f0f0; border:1px solid #cccccc;")
        self.name = QLabel()
        self.name.setWordWrap(True)
        self.edits = {key: QLineEdit() for key in CAPTION_KEYS}
        for edit in self.edits.values():
            edit.textEdited.connect(lambda _text, e=edit: e.setStyleSheet(""))
        self.error = QLabel()
        self.error.setStyleSheet("color:#c62828;")
        self.previous_button, self.next_button = QPushButton("上一张"), QPushButton("下一张")
        self.save_button, close = QPushButton("保存"), QPushButton("关闭")
        self._layout(close)
        self.previous_button.clicked.connect(lambda: self.go(self.position - 1))
        self.next_button.clicked.connect(lambda: self.go(self.position + 1))
        self.save_button.clicked.connect(self.save)
        close.clicked.connect(self.accept)
        self.show_photo()

    def _layout(self, close: QPushButton) -> None:
        form = QFormLayout()
        form.addRow(self.name)
        for key, edit in self.edits.items():
            form.addRow(f"{LABELS[key]}：", edit)
        form.addRow(self.error)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addStretch()
        buttons = QHBoxLayout()
        for button in (self.previous_button, self.next_button, self.save_button, close):
            buttons.addWidget(button)
        right.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self.picture)
        layout.addLayout(right, 1)

    @property
    def meta(self) -> FileMeta:
        return self.metas[self.position]

    def show_photo(self) -> None:
        meta = self.meta
        pixmap = thumbnail(meta.path)
        self.picture.setPixmap(pixmap)
        self.picture.setText("" if not pixmap.isNull() else why_not_shown(meta))
        self.name.setText(f"<b>{meta.name}</b>（{self.position + 1} / {len(self.metas)}）")
        for key, edit in self.edits.items():
            value = meta.get(key)
            edit.setText(value.text)
            edit.setModified(False)
            # as in the table: what the file says in grey, until the clerk types over it
            edit.setStyleSheet(f"color:{READ_COLOR.name()};" if value.source == READ else "")
            origin = ORIGIN_NAMES.get(value.origin, value.origin)
            edit.setToolTip("录入的值" if value.source == TYPED else (f"读自文件：{origin}" if value.source else ""))
        self.error.clear()
        self.previous_button.setEnabled(self.position > 0)
        self.next_button.setEnabled(self.position < len(self.metas) - 1)

    def changes(self) -> dict[str, str]:
        """The fields changed here, normalized (UserError for a value that cannot be right)."""
        return {key: normalize(key, edit.text()) for key, edit in self.edits.items()
                if edit.isModified() and edit.text() != self.meta[key]}

    def save(self) -> bool:
        try:
            changes = self.changes()
            if changes:
                self.editor.edit([self.meta.file_id], changes, f"照片说明：{self.meta.name}")
        except UserError as exc:
            self.error.setText(str(exc))
            return False
        for key, text in changes.items():  # shown at once; the table catches up when the write is done
            self.meta.values[key] = Value(text, TYPED)
            self.edits[key].setModified(False)
        return True

    def go(self, position: int) -> None:
        if 0 <= position < len(self.metas) and self.save():
            self.position = position
            self.show_photo()

    def accept(self) -> None:
        if self.save():
            super().accept()


def why_not_shown(meta: FileMeta) -> str:
    """The words in place of a picture that cannot be shown: a HEIC's reason is known, and so is the way out."""
    if meta.type in ("heic", "heif"):
        return "HEIC 格式的照片无法显示\n（可在手机或电脑上另存为 JPEG）"
    return "无法显示图片"
