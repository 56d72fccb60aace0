"""重建某阶段材料: a frozen stage's dossier (Word, PDF) or handover package (zip) made again as it was handed over.

The user picks the stage, the format and where to write it; the rebuild (stages.rebuild) runs in the background with
a cancellable progress dialog and reads the archive only. The result says how it was dated and names every file
that changed or went away since the freeze: taken from the copy store, or left out.
"""

from __future__ import annotations

import os

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from stages.rebuild import rebuild
from stages.records import list_stages
from ui.common import file_dialogs
from ui.common.shell import offer_to_open
from ui.common.worker import run_job, window_text
from ui.workspace.evidence_model import human_size
from ui.workspace.session import ArchiveSession

FORMATS = (("docx", "Word 汇编（.docx）"), ("pdf", "PDF 汇编（.pdf）"), ("zip", "移交材料包（.zip）"))
MAX_NAMED = 15  # files named in the result; the rest are counted


class RebuildDialog(QDialog):
    def __init__(self, session: ArchiveSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.result = None  # the RebuildResult when done
        self.setWindowTitle("重建某阶段材料")
        self.setMinimumWidth(560)
        self.stages = list_stages(session.archive)
        self.stage = QComboBox()
        for stage in reversed(self.stages):  # the newest first: the one most often asked for
            self.stage.addItem(f"{stage.name}（{stage.frozen_at}）", stage.name)
        self.format = QComboBox()
        for fmt, text in FORMATS:
            self.format.addItem(text, fmt)
        self.output = QLineEdit()
        self.browse = QPushButton("浏览…")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.rebuild_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.rebuild_button.setText("重建")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self._layout()
        self.stage.currentIndexChanged.connect(lambda _: self._suggest_output())
        self.format.currentIndexChanged.connect(lambda _: self._suggest_output())
        self.browse.clicked.connect(self._choose_output)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self._suggest_output()
        self.rebuild_button.setEnabled(bool(self.stages))

    def _layout(self) -> None:
        where = QHBoxLayout()
        where.addWidget(self.output)
        where.addWidget(self.browse)
        form = QFormLayout()
        form.addRow("阶段：", self.stage)
        form.addRow("格式：", self.format)
        form.addRow("保存到：", where)
        notice = QLabel("按冻结时的评价目录、材料清单和得分重新生成。冻结后改动或删除的文件会在完成后列出；"
                        "冻结时保留了副本的，从副本库取用。" if self.stages else
                        "档案中还没有冻结的阶段。请先通过“阶段 → 冻结当前材料…”冻结一个阶段。")
        notice.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(notice)
        layout.addWidget(self.buttons)

    def fmt(self) -> str:
        return self.format.currentData()

    def _suggest_output(self) -> None:
        name = self.stage.currentData()
        if name:
            kind = "移交材料包" if self.fmt() == "zip" else "迎检资料汇编"
            self.output.setText(os.path.join(self.session.settings.export_dir, f"{name}{kind}（重建）.{self.fmt()}"))

    def _choose_output(self) -> None:
        suffix = self.fmt()
        path, _ = file_dialogs.get_save_file_name(self, "重建到", self.output.text(),
                                                  f"{suffix.upper()} 文件 (*.{suffix})")
        if path:
            self.output.setText(path if path.lower().endswith(f".{suffix}") else f"{path}.{suffix}")

    def start(self) -> None:
        name, fmt, out = self.stage.currentData(), self.fmt(), self.output.text().strip()
        if not name:
            return
        if not out:
            QMessageBox.information(self, "重建某阶段材料", "请选择保存位置")
            return
        archive, font = self.session.archive, self.session.settings.cjk_font or None
        self.rebuild_button.setEnabled(False)
        job = run_job(self, "重建阶段材料", lambda progress, cancel: rebuild(
            archive, name, fmt, out, font_path=font, progress=progress, cancel=cancel), self._done, delay_ms=0)
        job.failed.connect(lambda _exc: self.rebuild_button.setEnabled(True))

    def _done(self, result) -> None:
        self.result = result
        self.session.settings.export_dir = str(result.path.parent)
        self.session.status_message(f"已重建：{result.path}")
        offer_to_open(self, "重建完成", window_text(result_text(result)), str(result.path))
        self.accept()


def result_text(result) -> str:
    """What was written, how it was dated, and every file that changed or went away since the freeze."""
    lines = [f"已生成：{result.path}（{human_size(result.size)}）", result.basis]
    restored, left_out = set(result.restored), set(result.left_out)
    others = [path for path in result.changed if path not in restored and path not in left_out]
    for title, paths in (("冻结后已改动或删除、已从副本库取用", result.restored),
                         ("冻结后已改动或删除、没有副本，未能附入", result.left_out),
                         ("冻结后已改动或删除（本格式不读取其内容，清单按冻结时列出）", others)):
        if paths:
            lines.append(f"{title}的文件 {len(paths)} 个：")
            lines += [f"  {path}" for path in paths[:MAX_NAMED]]
            if len(paths) > MAX_NAMED:
                lines.append(f"  ……等共 {len(paths)} 个")
    if not result.changed:
        lines.append("冻结时的文件均未改动，内容与冻结时一致。")
    lines += result.warnings
    return "\n".join(lines)
