"""In a unit archive, the status bar says when files lie beside the item folders of the task package (in its root,
or in a category folder such as "二 源头治理"): they belong to no item and would stay out of the evidence package.
Said while the clerk works, not first at the export (departments.strays). The monitor watches the item folders
only, so the package folder is looked at again whenever the window is refreshed or comes back to the front (the
clerk returning from Explorer, where the file was dropped).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QMainWindow

from archive.linkset import shown_under
from departments import is_unit_archive
from departments.strays import stray_files

SHOWN = 15  # names in the tooltip; the count says the rest


class StrayNotice(QObject):
    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.label = QLabel()
        self.label.setStyleSheet("QLabel { color: #c62828; padding: 0 8px; }")  # not its tooltip
        self.label.hide()
        window.statusBar().addPermanentWidget(self.label)
        window.installEventFilter(self)
        self.session = None

    def follow(self, session) -> None:
        """The archive opened (or closed: None); looked at now and after each refresh of the window."""
        if session is not self.session and session is not None:
            session.refreshed.connect(lambda _codes: self.check())
        self.session = session
        self.check()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.WindowActivate:
            self.check()
        return False

    def check(self) -> None:
        session = self.session
        if session is None or session.closed or not is_unit_archive(session.archive):
            self.label.hide()
            return
        root = session.archive.meta("package_root") or ""
        found = [shown_under(path, [root]) for path in stray_files(session.archive)]
        self.label.setVisible(bool(found))
        if not found:
            return
        self.label.setText(f"{len(found)} 个文件不在评价项目的文件夹中")
        more = f"\n……另有 {len(found) - SHOWN} 个" if len(found) > SHOWN else ""
        self.label.setToolTip("以下文件不在任何评价项目的文件夹中，导出时不会放入证明材料包，"
                              "请移到对应编号的文件夹：\n" + "\n".join(found[:SHOWN]) + more
                              + f"\n\n（任务包文件夹：{os.path.normpath(root)}）")
