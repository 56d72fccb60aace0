"""What is being confirmed, before it is: the files, the problems among them, what changed since the last
confirmation, and who confirms (the name is asked once, remembered in the settings, and can be changed here).

An item with no files, or with files that have problems, is not refused (a clerk may have good reasons) but the
dialog says so in red and the button reads 仍然确认.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive.changelog import KIND_NAMES, changes_after
from archive.revision import CHANGED_PREFIX
from archive.status import Confirmation
from ui.workspace.evidence_model import EXCLUDED_COLOR, PROBLEM_COLOR, EvidenceRow

MAX_NAMED = 3  # files named in a one-line summary; the rest are counted


def explain_changes(archive, code: str, confirmation: Confirmation) -> str:
    """What made a confirmed criterion 确认后有变更: the files changed since, by kind; else why the confirmation no
    longer matches though no file changed: its links changed (a folder linked or unlinked: the catalogue's change,
    not the evidence's, which the log does not keep), or a revision of the rules reworded the item."""
    what = describe_changes(changes_after(archive, code, confirmation))
    if what:
        return what
    if confirmation.digest.startswith(CHANGED_PREFIX):
        return "评价细则修订后本项内容有改动，请按新内容核对"
    return "文件本身没有改动，但关联的文件夹或文件有增减"


def describe_changes(changes: dict[str, list[str]]) -> str:
    """"修改 1 个：会议纪要.txt；新增 2 个：a.pdf、b.pdf" (file names only; the full paths are in the dialog)."""
    parts = []
    for kind in ("added", "modified", "removed", "moved"):
        paths = changes.get(kind, [])
        if paths:
            names = "、".join(os.path.basename(p) for p in paths[:MAX_NAMED])
            more = f" 等 {len(paths)} 个" if len(paths) > MAX_NAMED else ""
            parts.append(f"{KIND_NAMES[kind]} {len(paths)} 个：{names}{more}")
    return "；".join(parts)


def problem_first_list(rows: list[EvidenceRow]) -> QListWidget:
    """The files by name, problems first and in red (they need a look), those kept out of the dossier last and grey,
    the full path as the tooltip: what a confirmation or a rectification's verification signs for."""
    files = QListWidget()
    # a problem says what and where (a shortcut's target, a date beside the period): wrapped, not cut at the edge
    files.setWordWrap(True)
    files.setResizeMode(QListView.ResizeMode.Adjust)
    files.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    for row in sorted(rows, key=lambda row: (bool(row.excluded), not row.problem)):  # stable: the table's order
        notes = "；".join(note for note in (row.excluded, row.problem) if note)
        item = QListWidgetItem(os.path.basename(row.path) + (f"（{notes}）" if notes else ""))
        item.setToolTip(row.path)
        if row.excluded or row.problem:
            item.setForeground(EXCLUDED_COLOR if row.excluded else PROBLEM_COLOR)
        files.addItem(item)
    return files


def warning_label(lines: list[str]) -> QLabel:
    label = QLabel("<br>".join(lines))
    label.setWordWrap(True)
    label.setStyleSheet(f"color:{PROBLEM_COLOR.name()}")  # red, as the table's problem rows
    return label


class ConfirmDialog(QDialog):
    def __init__(self, code: str, title: str, rows: list[EvidenceRow], changes: dict[str, list[str]] | None,
                 name: str, note: str, parent: QWidget | None = None, unlogged: str = ""):
        """`unlogged`: why the item shows 确认后有变更 when no file changed (explain_changes), said instead of
        "no file changed"."""
        super().__init__(parent)
        self.setWindowTitle(f"确认材料：{code}")
        self.setMinimumWidth(520)
        problems = [row for row in rows if row.problem and not row.excluded]  # one kept out needs no look
        excluded = sum(1 for row in rows if row.excluded)
        self.warnings = self._warnings(rows, problems)
        self.name = QLineEdit(name)
        self.name.setPlaceholderText("确认人姓名（必填，下次自动填入）")
        self.note = QLineEdit(note)
        self.note.setPlaceholderText("确认备注（可选），如：材料已逐份核对")
        self.files = problem_first_list(rows)
        self.files.setMaximumHeight(180)
        layout = QVBoxLayout(self)
        kept_out = f"，{excluded} 个不列入汇编" if excluded else ""
        counts = f"共 {len(rows)} 个文件，其中 {len(problems)} 个有问题{kept_out}"
        layout.addWidget(QLabel(f"<b>{code} {title}</b>：{counts}"))
        if self.warnings:
            layout.addWidget(warning_label(self.warnings))
        layout.addWidget(self.files)
        self.changes_text = describe_changes(changes) if changes else ""
        self.since_text = ""  # what changed since the last confirmation, as said; "" for a first confirmation
        if changes is not None:
            self.since_text = f"上次确认以来：{self.changes_text or unlogged or '没有文件变更'}"
            changed = QLabel(self.since_text)
            changed.setWordWrap(True)
            changed.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(changed)
        form = QFormLayout()
        form.addRow("确认人(&N)：", self.name)
        form.addRow("备注(&R)：", self.note)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("仍然确认" if self.warnings else "确认")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.name.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        self.ok.setEnabled(bool(name.strip()))
        (self.note if name.strip() else self.name).setFocus()

    @staticmethod
    def _warnings(rows: list[EvidenceRow], problems: list[EvidenceRow]) -> list[str]:
        warnings = []
        if not rows:
            warnings.append("注意：此项目没有任何证明材料文件。确认表示材料齐全，请核实。")
        if problems:
            warnings.append(f"注意：有 {len(problems)} 个文件有问题，请先核对：")
        return warnings

    def confirmer(self) -> str:
        return self.name.text().strip()

    def note_text(self) -> str:
        return self.note.text().strip()
