"""The 阶段 menu of the main window: freeze the current evidence as a stage, compare with a stage, and rebuild a
stage's dossier or package as it was handed over.

The main window creates one StageActions, lets it add its menu, and calls `update()` whenever an archive opens or
closes. The comparison starts on the criterion selected in the tree.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from ui.common.extensions import FeatureMenu, WindowFeature


class StageActions(QObject, WindowFeature):
    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.dialog = None  # the dialog last opened (tests drive it)
        self.freeze = self._action("冻结当前材料…", self.open_freeze,
                                   "把当前的评价目录、材料、得分、确认和整改记录冻结为一个阶段（如 省级初评）")
        self.compare = self._action("阶段对比…", self.open_compare, "查看某个阶段以来（或两个阶段之间）的变化")
        self.rebuild = self._action("重建某阶段材料…", self.open_rebuild,
                                    "按冻结时的样子重新生成某个阶段的汇编（Word、PDF）或移交材料包")

    def _action(self, text: str, slot, tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def menus(self) -> list[FeatureMenu]:
        return [FeatureMenu("阶段(&G)", ((self.freeze, self.compare, self.rebuild),))]

    def update(self) -> None:
        session = self.window.session
        self.freeze.setEnabled(session is not None and not session.archive.read_only)
        self.compare.setEnabled(session is not None)
        self.rebuild.setEnabled(session is not None)

    def open_freeze(self) -> None:
        from ui.stages.freeze_dialog import FreezeDialog

        if self.window.session is None:
            return
        self._show(FreezeDialog(self.window.session, self.window))

    def open_compare(self) -> None:
        from ui.stages.diff_dialog import DiffDialog

        if self.window.session is None:
            return
        self._show(DiffDialog(self.window.session, self.window, self.window.workspace.code_in_view()))

    def open_rebuild(self) -> None:
        from ui.stages.rebuild_dialog import RebuildDialog

        if self.window.session is None:
            return
        self._show(RebuildDialog(self.window.session, self.window))

    def _show(self, dialog) -> None:
        """Window-modal without a nested event loop: the dialog's own buttons carry on from here."""
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
