"""Metadata edits from the window, with undo: each edit is a QUndoCommand whose writes run on the app's one writer.

The first run of an edit types the values (archive.metadata.store.set_values) and keeps, inside the writer's job,
what was typed before; undo puts that back, redo puts the edit back (put_typed). The writer runs jobs in the order
they were asked for, so an undo queued right after an edit finds the state the edit kept. The window is brought up
to date by the session's refresh after each job.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack

from archive.metadata.fields import LABELS
from archive.metadata.store import check_values, put_typed, set_values

State = dict[tuple[int, str], str | None]


class MetadataEdit(QUndoCommand):
    def __init__(self, editor: MetadataEditor, file_ids: list[int], values: dict[str, str | None], text: str):
        super().__init__(text)
        self.editor = editor
        self.file_ids = file_ids
        self.values = values
        self.before: State | None = None  # set by the first write, on the writer
        self.after: State | None = None

    def redo(self) -> None:
        if self.after is None:
            self.editor.write(self._first_write, f"已保存：{self.text()}")
        else:
            self.editor.write(lambda archive: put_typed(archive, self.after), f"已重做：{self.text()}")

    def undo(self) -> None:
        self.editor.write(lambda archive: put_typed(archive, self.before) if self.before is not None else None,
                          f"已撤销：{self.text()}")

    def _first_write(self, archive) -> None:
        self.before = set_values(archive, self.file_ids, self.values)
        self.after = {pair: self.values[pair[1]] for pair in self.before}


class MetadataEditor(QObject):
    """The undo stack of one open archive's metadata edits, and the way they are written."""

    def __init__(self, session, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.stack = QUndoStack(self)

    def edit(self, file_ids: list[int], values: dict[str, object], text: str | None = None) -> None:
        """Type `values` ({field: value}; None: back to the file's value) into the files. A value that cannot be
        right raises UserError here, before anything is queued."""
        checked = check_values(values)
        if not file_ids or not checked:
            return
        names = "、".join(LABELS[key] for key in checked)
        self.stack.push(MetadataEdit(self, list(file_ids), checked, text or f"填写{names}（{len(file_ids)} 个文件）"))

    def put(self, state: dict, text: str, put=put_typed) -> None:
        """Write a prepared state (an Excel import's changes; with `put`, another table's, such as the files kept
        out of the dossier, archive.exclusions.put_marks) as one undoable edit. `put(archive, state)` returns the
        state it replaced."""
        if state:
            self.stack.push(_StateEdit(self, state, text, put))

    def write(self, fn, message: str) -> None:
        """`fn(archive)` on the writer; `message` in the status bar once it is written (an edit of files scrolled
        out of sight, or an Excel import, shows nothing else)."""
        archive = self.session.archive
        self.session.run("保存文件信息", lambda progress, cancel: fn(archive),
                         lambda _result: self.session.status_message(message), dialog=False)


class _StateEdit(QUndoCommand):
    def __init__(self, editor: MetadataEditor, state: dict, text: str, put):
        super().__init__(text)
        self.editor = editor
        self.state = state
        self.put = put
        self.before: dict | None = None  # set by the first write, on the writer

    def redo(self) -> None:
        self.editor.write(self._write, f"已{'重做' if self.before is not None else '保存'}：{self.text()}")

    def _write(self, archive) -> None:
        before = self.put(archive, self.state)
        if self.before is None:
            self.before = before

    def undo(self) -> None:
        self.editor.write(lambda archive: self.put(archive, self.before) if self.before is not None else None,
                          f"已撤销：{self.text()}")
