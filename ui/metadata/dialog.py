"""填写文件信息: set fields of several selected files at once (the 地点 of 20 photos).

Each field shows the value the selected files share, or "（多个值）" when they differ; only fields the clerk changes
are written, to every selected file (a photo field to the photos among them). "恢复" next to a field goes back to
what each file says.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from archive.metadata.fields import FIELDS, PHOTO_KEYS, normalize
from archive.metadata.store import FileMeta
from common.errors import UserError
from ui.metadata.model import FIELD_HINTS

MIXED = "（多个值）"


class FillDialog(QDialog):
    def __init__(self, metas: list[FileMeta], parent: QWidget | None = None):
        super().__init__(parent)
        self.metas = metas
        photos = sum(1 for m in metas if m.is_photo)
        self.setWindowTitle("填写文件信息")
        self.setMinimumWidth(520)
        form = QFormLayout(self)
        note = QLabel(f"已选 {len(metas)} 个文件" + (f"，其中 {photos} 张照片" if photos else "")
                      + "。只写入改动过的字段；照片字段只写入照片。")
        note.setWordWrap(True)
        form.addRow(note)
        self.edits: dict[str, QLineEdit] = {}
        self.reverts: dict[str, QCheckBox] = {}
        for field in FIELDS:
            if field.photo and not photos:
                continue
            self.edits[field.key], self.reverts[field.key] = self._field_row(form, field.key, field.label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("写入")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.error = QLabel()
        self.error.setStyleSheet("color:#c62828;")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        form.addRow(buttons)
        self.changes: dict[str, str | None] = {}

    def _field_row(self, form: QFormLayout, key: str, label: str) -> tuple[QLineEdit, QCheckBox]:
        edit = QLineEdit()
        values = {m[key] for m in self.metas if m.is_photo or key not in PHOTO_KEYS}
        if len(values) == 1:
            edit.setText(values.pop())
            edit.setPlaceholderText(FIELD_HINTS.get(key, ""))  # shown while empty: where the dossier prints it
        else:
            edit.setPlaceholderText(MIXED)
        edit.setToolTip(FIELD_HINTS.get(key, ""))
        edit.setProperty("original", edit.text())
        revert = QCheckBox("恢复为文件中的值")
        revert.toggled.connect(edit.setDisabled)
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(revert)
        form.addRow(f"{label}：", row)
        return edit, revert

    def accept(self) -> None:
        """Collect the changed fields; a value that cannot be right keeps the dialog open with the reason."""
        changes: dict[str, str | None] = {}
        try:
            for key, edit in self.edits.items():
                if self.reverts[key].isChecked():
                    changes[key] = None
                elif edit.isModified() and edit.text() != edit.property("original"):
                    changes[key] = normalize(key, edit.text())
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.changes = changes
        super().accept()
