"""Plugs the self-evaluation into an open archive's workspace (FEATURE, registered in ui/window/features.py), through
the workspace's extension points:

- a unit choice beside the tabs, the only one shown: the tree's own unit filter follows it unseen
  (ui/selfeval/unit_scope.py), and so do the overview, the rectification tab and the reports dialog;
- the 自查自评 box in the detail panel, above the sign-off;
- the projected result at the top of the overview;
- the 问题整改 tab.
After any edit everything that shows units, scores or problems is refreshed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ui.common.extensions import WorkspaceFeature
from ui.selfeval.detail_box import SelfEvalBox
from ui.selfeval.rectify_tab import RectifyPage
from ui.selfeval.summary import ProjectionBox
from ui.selfeval.unit_scope import UnitScope

SECTION_ORDER = 10  # the 自查自评 box: the one feature section of the detail panel today
OVERVIEW_ORDER = 20  # the projected result: below the creation period (ui/metadata/hooks.py)
TAB_ORDER = 10  # 问题整改


class SelfEvalHooks(QObject):
    def __init__(self, workspace):
        super().__init__(workspace)
        self.workspace = workspace
        self.session = session = workspace.session
        self.scope = UnitScope(session, self)
        self.scope.apply_assignments()
        unit_filter = workspace.unit_filter()
        self.scope.bind(unit_filter)  # the tree's own unit filter is the same choice, and not shown:
        unit_filter.hide()  # one unit filter for the clerk, beside the tabs, on every tab
        self.corner = self._corner()
        workspace.add_corner_widget(self.corner)
        self.box = SelfEvalBox(session)
        workspace.add_detail_section(self.box, SECTION_ORDER)
        self.summary = ProjectionBox(session)
        workspace.add_overview_box(self.summary, OVERVIEW_ORDER)
        self.problems = RectifyPage(session, self.scope)
        workspace.add_tab(self.problems, "问题整改", TAB_ORDER)
        self._connect()
        self.reload()

    def _corner(self) -> QWidget:
        corner = QWidget()
        layout = QHBoxLayout(corner)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("单位："))
        self.unit_combo = self.scope.new_combo()
        layout.addWidget(self.unit_combo)
        return corner

    def _connect(self) -> None:
        workspace, session = self.workspace, self.session
        workspace.criterion_changed.connect(self.box.show_criterion)
        workspace.criterion_changed.connect(self.problems.look_at)
        self.box.saved.connect(lambda _code: self.reload())
        self.box.add_problem_requested.connect(self.add_problem)
        self.problems.changed.connect(self.reload)
        self.problems.criterion_activated.connect(workspace.go_to)
        self.summary.criterion_activated.connect(workspace.go_to)
        self.summary.rules_requested.connect(self.edit_rules)
        self.scope.changed.connect(self._unit_changed)
        session.catalogue_replaced.connect(self.reload)
        # after a job's full refresh (a department's package may bring scores); the monitor's file changes (which
        # name their codes) cannot move the projection: scores, kinds and rules are not files
        session.evidence_changed.connect(lambda codes: codes is None and self.summary.refresh())

    def reload(self) -> None:
        """Units, scores or problems changed: bring every view up to date."""
        self.scope.reload()
        self.workspace.refilter()  # nodes' units may have changed: filter again
        self.summary.refresh()
        self.workspace.refresh_overview()
        self.problems.refresh()
        if not self.box.dirty():
            self.box.show_criterion(self.box.code, save_first=False)

    def _unit_changed(self, unit: str) -> None:
        self.summary.set_unit(unit)
        self.workspace.refresh_overview(unit)

    def add_problem(self, code: str | None = None) -> None:
        self.show_problems()
        self.problems.add(code)

    def show_problems(self) -> None:
        self.workspace.show_tab(self.problems)

    def edit_rules(self) -> None:
        from ui.selfeval.rules_dialog import RulesDialog

        if RulesDialog(self.session, self.workspace).exec():
            self.summary.refresh()
            self.session.status_message("已保存通过规则")


FEATURE = WorkspaceFeature("selfeval", SelfEvalHooks)
