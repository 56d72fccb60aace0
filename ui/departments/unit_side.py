"""The unit's side in the app: open a task package as a unit archive, and export the evidence package to hand back.

Opening unpacks the package into an empty (or new) folder on the local disk and creates the unit archive there; the
folder's network check runs while the user is choosing, with the core's own words, so the refusal comes before
anything is written. The export scans first, so it always runs with the monitor paused (session.run_scanning).
"""

from __future__ import annotations

import json
import os
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from archive.db import Archive
from archive.linkset import shown_under
from departments import export_evidence_package, is_unit_archive, manifest, open_task_package, own_codes
from departments.unit import default_unit_folder
from departments.units import ASSIST, LEAD, unit_component
from ui.common import file_dialogs
from ui.common.settings import Settings
from ui.common.shell import show_in_folder
from ui.common.widgets import browse_row
from ui.common.worker import describe_error, run_job
from ui.departments.package_checks import (
    ERROR_STYLE,
    PackageSummary,
    linked_folder_refusal,
    listing,
    network_refusal,
    read_package,
)
from ui.workspace.evidence_model import human_size
from ui.workspace.session import ArchiveSession

TASK_FILTER = "任务包 (*.zip);;所有文件 (*)"


def unit_role(archive: Archive) -> str | None:
    """"单位档案：县农业农村局（牵头 1 项、配合 1 项）" for a unit archive, None for the office's own."""
    if not is_unit_archive(archive):
        return None
    task = json.loads(archive.meta("task_manifest") or "{}")
    roles = [item.get("role") for item in task.get("criteria", []) if item.get("own", True)]
    return f"单位档案：{archive.meta('unit')}（牵头 {roles.count(LEAD)} 项、配合 {roles.count(ASSIST)} 项）"


class OpenTaskPackageDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None, package: str = ""):
        super().__init__(parent)
        self.settings = settings
        self.summary: PackageSummary | None = None
        self.created_path: str | None = None
        self.setWindowTitle("打开任务包")
        self.setMinimumWidth(640)
        self.package = QLineEdit(package)
        self.package.setPlaceholderText("食安办下发的任务包（.zip）")
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("解压到的文件夹：须为空文件夹，或尚不存在的新文件夹")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel("任务包中每个评价项目一个文件夹，单位档案（.rrdb）也建在这里。请选择本机磁盘上的位置："
                      "档案文件不能放在网络共享上。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #606060;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.open_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.open_button.setText("打开")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        form = QFormLayout()
        form.addRow("任务包：", browse_row(self.package, self._choose_package))
        form.addRow("", self.about)
        form.addRow("解压到：", browse_row(self.folder, self._choose_folder))
        form.addRow("", self.problem)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addStretch()
        layout.addWidget(self.buttons)
        self.package.textChanged.connect(lambda _: self._read_package())
        self.folder.textEdited.connect(lambda _: self.folder.setModified(True))
        self.folder.textChanged.connect(lambda _: self._update())
        self.buttons.accepted.connect(self._open)
        self.buttons.rejected.connect(self.reject)
        self._read_package()

    def _choose_package(self) -> None:
        path, _ = file_dialogs.get_open_file_name(self, "选择任务包", self.settings.export_dir, TASK_FILTER)
        if path:
            self.package.setText(path)

    def _choose_folder(self) -> None:
        folder = file_dialogs.get_existing_directory(self, "解压到（请选择或新建一个空文件夹）", self.folder.text())
        if folder:
            self.folder.setText(folder)
            self.folder.setModified(True)

    def folder_problem(self) -> str | None:
        """Why the chosen folder cannot take the package (network location, a file, not empty), or None."""
        folder = self.folder.text().strip()
        if not folder:
            return None
        if refusal := network_refusal(folder):
            return refusal
        path = os.path.abspath(os.path.expanduser(folder))
        if os.path.isfile(path):
            return f"这是一个文件，不是文件夹：{path}"
        if os.path.isdir(path) and os.listdir(path):
            return f"文件夹不为空：{path}。请选择一个空文件夹，或输入一个尚不存在的新文件夹"
        return None

    def _read_package(self) -> None:
        self.summary = None
        path = self.package.text().strip()
        self.about.setStyleSheet("")
        if not path:
            self.about.setText("请选择食安办下发的任务包（.zip）")
        elif not os.path.isfile(path):
            self._unreadable(f"文件不存在：{path}")
        else:
            self.about.setText("正在读取任务包…")
            run_job(self, "读取任务包", lambda progress, cancel: read_package(path, manifest.TASK_KIND),
                    lambda summary, asked=path: self._read(summary, asked),
                    lambda exc, asked=path: asked == self.package.text().strip() and self._unreadable(
                        describe_error(exc)), dialog=False)
        self._update()

    def _unreadable(self, text: str) -> None:
        self.about.setStyleSheet(ERROR_STYLE)
        self.about.setText(text)

    def _read(self, summary: PackageSummary, asked: str) -> None:
        if asked != self.package.text().strip():
            return  # another file was chosen since
        self.summary = summary
        self.about.setText(summary.text())
        if not self.folder.isModified():
            self.folder.setText(default_unit_folder(asked, summary.folder_name))
        self._update()

    def _update(self) -> None:
        problem = self.folder_problem()
        self.problem.setText(problem or "")
        self.problem.setVisible(bool(problem))
        self.open_button.setEnabled(self.summary is not None and bool(self.folder.text().strip()) and not problem)

    def _open(self) -> None:
        if problem := self.folder_problem():  # the disk may have changed since it was checked
            self._update()
            QMessageBox.warning(self, "打开任务包", problem)
            return
        package, folder = self.package.text().strip(), os.path.abspath(os.path.expanduser(self.folder.text().strip()))
        self.open_button.setEnabled(False)
        job = run_job(self, "打开任务包", lambda progress, cancel: open_task_package(package, folder), self._opened,
                      delay_ms=0)
        job.failed.connect(lambda _exc: self._update())

    def _opened(self, path) -> None:
        self.created_path = str(path)
        self.accept()


def unit_guide(archive: Archive) -> str:
    root = archive.meta("package_root") or ""
    return (f"已打开 {archive.meta('unit')} 的任务包，共 {len(own_codes(archive))} 个本单位评价项目。\n\n"
            f"请把材料放入 {root} 中对应编号的文件夹，或把已有的文件夹拖到左侧的评价项目上关联。"
            "左侧可以随时看到哪些项目还缺材料。\n\n完成后用“文件 → 导出证明材料包…”生成材料包，交回食安办。")


def suggested_export(session: ArchiveSession) -> str:
    unit = unit_component(session.archive.meta("unit") or "单位")
    return os.path.join(session.settings.export_dir, f"{unit}-证明材料包-{time.strftime('%Y%m%d')}.zip")


def export_evidence(parent: QWidget, session: ArchiveSession, reveal: bool = True) -> None:
    """Ask where to save, then scan and write the evidence package; say what went in, what not, what is missing."""
    path, _ = file_dialogs.get_save_file_name(parent, "导出证明材料包", suggested_export(session), "证明材料包 (*.zip)")
    if not path:
        return
    path = path if path.lower().endswith(".zip") else f"{path}.zip"
    if refusal := linked_folder_refusal(session.archive, os.path.abspath(path)):
        QMessageBox.warning(parent, "导出证明材料包", refusal)
        return
    session.settings.export_dir = os.path.dirname(os.path.abspath(path))
    archive = session.archive

    def done(result) -> None:
        own = set(own_codes(archive))
        empty = [f"{s.code} {s.title}" for s in session.statuses if s.files == 0 and s.code in own]
        text = f"已导出证明材料包：{result.path}（{result.files} 个文件，{human_size(result.bytes)}）"
        if not result.files:
            text += "\n\n注意：材料包中没有文件。请先把材料放入任务包中对应编号的文件夹。"
        root = archive.meta("package_root") or ""
        if result.skipped:
            text += "\n\n未放入：\n" + listing([f"{shown_under(p, [root])}：{why}" for p, why in result.skipped])
        if result.problems:
            text += ("\n\n已放入，但有问题（处理后可重新导出）：\n"
                     + listing([f"{shown_under(p, [root])}：{why}" for p, why in result.problems]))
        if empty:
            text += "\n\n以下本单位项目还没有材料：\n" + listing(empty)
        session.status_message(f"已导出证明材料包：{result.path}")
        if reveal:
            show_in_folder(parent, str(result.path))
        QMessageBox.information(parent, "证明材料包已导出", text + "\n\n请把材料包交回食安办。")

    session.run_scanning("导出证明材料包",
                         lambda progress, cancel: export_evidence_package(archive, path, progress, cancel), done)
