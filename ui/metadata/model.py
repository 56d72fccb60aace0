"""The evidence table with the metadata columns (题名, 文号, 责任者, 成文日期 … and a photo's caption), edited in place.

The file columns stay as ui.workspace.evidence_model draws them; the metadata columns follow. A value read from
the file is shown grey, a typed one black; the tooltip says where a value comes from. A cell edit is checked here
(a date that is no date is refused at once, in Chinese) and handed on as `edit_requested(file ids, {field: value})`:
the write goes through the writer (ui.metadata.edits), and the table shows it when the refresh after the write
reloads it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from archive.metadata.fields import LABELS, ORIGIN_NAMES, PHOTO_KEYS, TYPED, normalize
from archive.metadata.store import FileMeta, metadata_for_files
from common.errors import UserError
from ui.workspace.evidence_model import (
    COLUMNS,
    EXCLUDED_COLOR,
    NO_INDEX,
    PAGES,
    PATH_ROLE,
    EvidenceModel,
    EvidenceRow,
    natural_key,
)

# pages are the 页数 column of the file columns; everything else gets a column of its own
META_KEYS = ("title", "doc_no", "issuer", "date", "secret", "note", "subject", "time", "place", "people",
             "background", "photographer")
FIRST_META = len(COLUMNS)
# wide enough for what the column holds: a photo time read from EXIF is "2024-06-10 10:15:00"
META_WIDTHS = {"title": 220, "doc_no": 130, "issuer": 150, "date": 86, "secret": 48, "note": 120, "subject": 140,
               "time": 150, "place": 140, "people": 110, "background": 120, "photographer": 70}
# where the dossier prints a field its name does not say (the others print in their own columns or captions)
FIELD_HINTS = {"note": "印在佐证材料目录的备注栏，送审版也印", "secret": "印在目录备注栏；涉密文件导出前提醒",
               "pages": "未附入原文时，目录显示此页数"}
READ_COLOR = QColor("#6d6d6d")
FILE_ID_ROLE = Qt.ItemDataRole.UserRole + 3


def meta_key(column: int) -> str | None:
    return META_KEYS[column - FIRST_META] if column >= FIRST_META else None


def column_of(key: str) -> int:
    return FIRST_META + META_KEYS.index(key)


class MetadataEvidenceModel(EvidenceModel):
    edit_requested = Signal(list, dict)  # file ids, {field: normalized value}
    edit_refused = Signal(str)  # a Chinese message: the value typed cannot be right

    def __init__(self, archive_of, parent=None):
        super().__init__(parent)
        self.archive_of = archive_of  # -> the open Archive (reads on the UI thread: fast queries)
        self.metas: dict[int, FileMeta] = {}

    # -- rows and their metadata ----------------------------------------------------------------------------
    def set_rows(self, rows: list[EvidenceRow]) -> None:
        self.metas = self._load(rows)
        super().set_rows(rows)

    def refresh(self, rows: list[EvidenceRow]) -> None:
        self.metas = self._load(rows)
        super().refresh(rows)
        if self.rows:  # a typed value changes no file row: redraw the metadata columns anyway
            self.dataChanged.emit(self.index(0, FIRST_META), self.index(len(self.rows) - 1, self.columnCount() - 1))

    def _load(self, rows: list[EvidenceRow]) -> dict[int, FileMeta]:
        return metadata_for_files(self.archive_of(), [row.id for row in rows]) if rows else {}

    def meta(self, row: int) -> FileMeta | None:
        return self.metas.get(self.rows[row].id)

    # -- the table ------------------------------------------------------------------------------------------
    def columnCount(self, parent: QModelIndex = NO_INDEX) -> int:
        return 0 if parent.isValid() else FIRST_META + len(META_KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        key = meta_key(section)
        if key is not None and orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return LABELS[key]
            if role == Qt.ItemDataRole.ToolTipRole:
                hint = f"；{FIELD_HINTS[key]}" if key in FIELD_HINTS else ""
                return f"{LABELS[key]}（仅照片）" if key in PHOTO_KEYS else f"{LABELS[key]}：可直接编辑{hint}"
            return None
        return super().headerData(section, orientation, role)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        key = meta_key(index.column())
        if key is not None and index.isValid() and self._editable(index.row(), key):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _editable(self, row: int, key: str) -> bool:
        meta = self.meta(row)
        return meta is not None and (key not in PHOTO_KEYS or meta.is_photo)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        key = meta_key(index.column()) if index.isValid() else None
        if role == FILE_ID_ROLE and index.isValid():
            return self.rows[index.row()].id
        if role == PATH_ROLE and index.isValid():  # the row's, on every cell: 打开 and 在文件夹中显示 read it there
            return self.rows[index.row()].path
        if key is None and index.isValid() and index.column() == PAGES and role == Qt.ItemDataRole.DisplayRole:
            meta = self.meta(index.row())  # typed, else read: the index's count, or an OFD's from its document
            if meta is not None:
                return meta["pages"]
        if key is None:
            return super().data(index, role)
        meta = self.meta(index.row())
        if meta is None or not self._editable(index.row(), key):
            return None
        value = meta.get(key)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return value.text
        if role == Qt.ItemDataRole.ForegroundRole and self.rows[index.row()].excluded:
            return QBrush(EXCLUDED_COLOR)  # the whole row grey: kept out of the dossier, typed values too
        if role == Qt.ItemDataRole.ForegroundRole and value.source != TYPED:
            return QBrush(READ_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _source_text(meta, key)
        return None

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        key = meta_key(index.column())
        if key is None or role != Qt.ItemDataRole.EditRole or not self._editable(index.row(), key):
            return False
        try:
            text = normalize(key, value)
        except UserError as exc:
            self.edit_refused.emit(str(exc))
            return False
        if text == self.meta(index.row())[key]:
            return False
        self.edit_requested.emit([self.rows[index.row()].id], {key: text})
        return True

    # -- sorting by a metadata column too -------------------------------------------------------------------
    def _sorted(self, rows: list[EvidenceRow]) -> list[EvidenceRow]:
        key = "pages" if self.sort_column == PAGES else meta_key(self.sort_column)  # the pages as shown
        if key is None:
            return super()._sorted(rows)
        metas = self.metas
        return sorted(rows, key=lambda r: (natural_key(metas[r.id][key]) if r.id in metas else (), r.path),
                      reverse=self.sort_order == Qt.SortOrder.DescendingOrder)


def _source_text(meta: FileMeta, key: str) -> str:
    value = meta.get(key)
    if value.source == TYPED:
        read = meta.read.get(key)
        return "录入的值" + (f"（文件中为：{read.text}）" if read and read.text and read.text != value.text else "")
    if value.source:
        return f"读自文件：{ORIGIN_NAMES.get(value.origin, value.origin)}（可直接修改）"
    return "（空）可直接填写"
