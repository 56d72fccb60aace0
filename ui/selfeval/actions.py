"""The 自评 menu of the main window: the four reports, the pass rules and the rectification tab.

The main window creates one SelfEvalActions, lets it add its menu, and calls `update()` whenever an archive opens
or closes. The commands work on the workspace's unit choice (see ui/selfeval/unit_scope.py).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from ui.common.extensions import FeatureMenu, WindowFeature

REPORT_ACTIONS = (("selfcheck", "自评报告…", "生成自查自评报告（Word/PDF）：预计结果、评分表、问题整改、材料完整性"),
                  ("bulletin", "进度通报…", "生成进度通报（Word/PDF）：各单位的项目、缺少的材料、逾期整改"),
                  ("ledger", "整改台账…", "生成整改台账（Excel）"),
                  ("tasks", "单位任务清单…", "为单位生成任务清单（Word/PDF），可每个单位一份"))


class SelfEvalActions(QObject, WindowFeature):
    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.reveal_results = True  # open the report's folder when done (tests turn it off)
        self.dialog = None  # the dialog currently open, if any
        self.reports: dict[str, QAction] = {}
        for kind, text, tip in REPORT_ACTIONS:
            self.reports[kind] = self._action(text, lambda _checked=False, k=kind: self.report(k), tip)
        self.rules = self._action("通过规则…", self.edit_rules, "设置否决项、关键项得分率和总分线")
        self.problems = self._action("问题整改", self.show_problems, "查看和登记整改问题", "Ctrl+3")

    def _action(self, text: str, slot, tip: str, shortcut: str | None = None) -> QAction:
        action = QAction(text, self.window)
        action.setStatusTip(tip)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def menus(self) -> list[FeatureMenu]:
        return [FeatureMenu("自评(&S)", ((self.problems,), tuple(self.reports.values()), (self.rules,)))]

    def update(self) -> None:
        enabled = self.hooks is not None
        for action in (*self.reports.values(), self.rules, self.problems):
            action.setEnabled(enabled)

    @property
    def hooks(self):
        """The self-evaluation plugged into the open archive's workspace (ui/selfeval/hooks.py), or None."""
        workspace = self.window.workspace
        return workspace.feature("selfeval") if workspace is not None else None

    def report(self, kind: str) -> None:
        from ui.selfeval.report_dialog import ReportDialog

        hooks = self.hooks
        if hooks is None:
            return
        hooks.box.save_pending()
        self.dialog = ReportDialog(hooks.session, hooks.scope, self.window, kind)
        self.dialog.open_folder_when_done = self.reveal_results
        self.dialog.exec()
        self.dialog = None

    def edit_rules(self) -> None:
        if self.hooks is not None:
            self.hooks.edit_rules()

    def show_problems(self) -> None:
        if self.hooks is not None:
            self.hooks.show_problems()
