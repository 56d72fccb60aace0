"""Verifying a rectification (整改验证): what is being verified, and by whom.

The dialog shows the problem and its 整改材料 (the files, problems first). With no material at all it does not
verify until the verifier writes how the fix was checked instead (核查说明, e.g. 现场核查); files with problems are
named in red and the button reads 仍然验证. The verifier's name is asked once, remembered in the settings (like
the confirmer's), and can be changed here.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from selfeval.rectify import Rectification
from ui.workspace.confirm_dialog import problem_first_list, warning_label
from ui.workspace.evidence_model import EvidenceRow

NO_EVIDENCE = ("没有整改材料。请先在下方“整改材料”中关联整改报告、照片等；确实没有材料的（如现场核查），"
               "请在“核查说明”中写明如何核实，才能验证。")


class VerifyDialog(QDialog):
    def __init__(self, item: Rectification, rows: list[EvidenceRow], name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"验证整改：#{item.id}")
        self.setMinimumWidth(520)
        self.rows = rows
        problems = [row for row in rows if row.problem]
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>#{item.id} {item.code}</b>：{item.text}<br>整改材料 {len(rows)} 个文件"
                         + (f"，其中 {len(problems)} 个有问题" if problems else ""))
        heading.setWordWrap(True)
        layout.addWidget(heading)
        warnings = [NO_EVIDENCE] if not rows else []
        if problems:
            warnings.append(f"注意：有 {len(problems)} 个整改材料文件有问题，请先核对：")
        if warnings:
            layout.addWidget(warning_label(warnings))
        self.files = problem_first_list(rows)
        self.files.setMaximumHeight(160)
        self.files.setVisible(bool(rows))
        layout.addWidget(self.files)
        self.name = QLineEdit(name)
        self.name.setPlaceholderText("验证人姓名（必填，下次自动填入）")
        self.note = QLineEdit()
        self.note.setPlaceholderText("如：现场核查，已整改到位" if not rows else "可选")
        form = QFormLayout()
        form.addRow("验证人(&N)：", self.name)
        form.addRow("核查说明(&R)：", self.note)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("仍然验证" if problems else "验证")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.name.textChanged.connect(self._update)
        self.note.textChanged.connect(self._update)
        self._update()
        (self.note if name.strip() else self.name).setFocus()

    def _update(self) -> None:
        self.ok.setEnabled(self.may_verify())

    def may_verify(self) -> bool:
        """A name, and material or a word on how it was checked without."""
        return bool(self.verifier()) and (bool(self.rows) or bool(self.note_text()))

    def verifier(self) -> str:
        return self.name.text().strip()

    def note_text(self) -> str:
        return self.note.text().strip()


def verified_note(old: str, how: str) -> str:
    """The item's note with the verification's 核查说明 after it (the note typed when it was raised stays)."""
    if not how:
        return old
    return f"{old}；验证：{how}" if old else f"验证：{how}"
