"""档案 → 导入单位材料包…: which package, and the evidence root it goes under (remembered per archive; the first
time guessed from where the units' folders are linked from).

The dialog only collects the two paths; it reads the package's manifest in the background to say whose package it
is and where its files will go, so a wrong file is caught before the import. The import itself runs afterwards on
the worker, with the monitor paused (see ui.departments.actions).
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
    QVBoxLayout,
    QWidget,
)

from departments import manifest
from ui.common import file_dialogs
from ui.common.settings import Settings, archive_key
from ui.common.widgets import browse_row
from ui.common.worker import describe_error, run_job
from ui.departments.package_checks import ERROR_STYLE, PackageSummary, read_package
from ui.workspace.evidence_model import human_size

ROOT_KEY = "packages/evidence_root"
PACKAGE_FILTER = "证明材料包 (*.zip);;所有文件 (*)"
HINT = ("材料放入根文件夹下以单位命名的子文件夹，并关联到对应的评价项目。已有的相同文件不再复制；"
        "内容不同的同名文件用新版本，旧版本改名保留在旁边。压缩包中有不安全的条目时整包拒绝，不写入任何内容。")


def evidence_root(settings: Settings, archive_path: str) -> str:
    """The root the last import into this archive used. Kept per archive: the demo's root offered to the office's
    own archive put a unit's files into the demo's folder, which a fresh demo deletes."""
    folder = settings.qsettings.value(_root_key(archive_path), "")
    return folder if isinstance(folder, str) and os.path.isdir(folder) else ""


def remember_evidence_root(settings: Settings, archive_path: str, folder: str) -> None:
    settings.qsettings.setValue(_root_key(archive_path), folder)


def _root_key(archive_path: str) -> str:
    return archive_key(ROOT_KEY, os.path.abspath(archive_path))


class ImportPackageDialog(QDialog):
    def __init__(self, settings: Settings, archive_path: str, parent: QWidget | None = None, package: str = "",
                 evidence: str = "", guessed_root: str = ""):
        """`evidence`: where the archive's linked evidence lies, for the folder chooser when no root was chosen;
        `guessed_root`: the root offered when none was used for this archive yet (departments.units.units_root)."""
        super().__init__(parent)
        self.settings = settings
        self.archive_path = archive_path
        self.evidence = evidence
        self.summary: PackageSummary | None = None
        self.setWindowTitle("导入单位材料包")
        self.setMinimumWidth(640)
        self.package = QLineEdit(package)
        self.package.setPlaceholderText("单位交回的证明材料包（.zip）")
        self.root = QLineEdit(evidence_root(settings, archive_path) or guessed_root)
        self.root.setPlaceholderText("证明材料的总文件夹，各单位的材料放在其中以单位命名的子文件夹")
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.about.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = QLabel(HINT)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #606060;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("导入")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self._layout()
        self.package.textChanged.connect(lambda _: self._read_package())
        self.root.textChanged.connect(lambda _: self._update())
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self._read_package()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("材料包：", browse_row(self.package, self._choose_package))
        form.addRow("", self.about)
        form.addRow("证明材料根文件夹：", browse_row(self.root, self._choose_root))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addStretch()
        layout.addWidget(self.buttons)

    def _choose_package(self) -> None:
        start = os.path.dirname(self.package.text()) or self.settings.export_dir
        path, _ = file_dialogs.get_open_file_name(self, "选择单位交回的证明材料包", start, PACKAGE_FILTER)
        if path:
            self.package.setText(path)

    def _choose_root(self) -> None:
        folder = file_dialogs.get_existing_directory(self, "选择证明材料根文件夹", self.root.text() or self.evidence)
        if folder:
            self.root.setText(folder)

    def package_path(self) -> str:
        return self.package.text().strip()

    def root_path(self) -> str:
        return self.root.text().strip()

    # -- what the package is, read in the background --------------------------------------------------------
    def _read_package(self) -> None:
        self.summary = None
        path = self.package_path()
        if not path:
            self._say("请选择单位交回的证明材料包（.zip）")
        elif not os.path.isfile(path):
            self._say(f"文件不存在：{path}", error=True)
        else:
            self._say("正在读取材料包…")
            run_job(self, "读取材料包", lambda progress, cancel: read_package(path, manifest.EVIDENCE_KIND),
                    lambda summary, asked=path: self._read(summary, asked),
                    lambda exc, asked=path: self._unreadable(exc, asked), dialog=False)
        self._update()

    def _read(self, summary: PackageSummary, asked: str) -> None:
        if asked == self.package_path():  # else the user has chosen another file since
            self.summary = summary
            self._update()

    def _unreadable(self, exc: BaseException, asked: str) -> None:
        if asked == self.package_path():
            self._say(describe_error(exc), error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.about.setStyleSheet(ERROR_STYLE if error else "")
        self.about.setText(text)

    def _update(self) -> None:
        if self.summary is not None:
            text = f"{self.summary.text()}，{human_size(self.summary.bytes)}"
            if self.root_path():
                text += f"。\n将放入：{os.path.join(self.root_path(), self.summary.folder_name)}"
            self._say(text)
        self.import_button.setEnabled(self.summary is not None and bool(self.root_path()))

    def _accept(self) -> None:
        root = os.path.abspath(os.path.expanduser(self.root_path()))
        if not os.path.isdir(root):
            self._say(f"证明材料根文件夹不存在：{root}", error=True)
            return
        remember_evidence_root(self.settings, self.archive_path, root)
        self.root.setText(root)
        self.accept()
