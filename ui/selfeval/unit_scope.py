"""The unit the workspace is looking at (全部单位 or one 牵头/配合 unit), shared by the tree, the overview, the
rectification list and the reports dialog.

Every unit combo bound to the scope shows the same choice; changing any of them changes the scope. The tree's unit
filter reads each node's units, so `apply_assignments` writes the effective units (the table's, overridden by the
user's assignments) into the tree model's nodes whenever they may have changed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox

from archive.assignments import effective_assignments, known_units
from ui.workspace.session import ArchiveSession

ALL_UNITS = "全部单位"


class UnitScope(QObject):
    changed = Signal(str)  # "" for all units

    def __init__(self, session: ArchiveSession, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.unit = ""
        self.combos: list[QComboBox] = []
        self.names: list[str] = []

    def units(self) -> list[str]:
        return list(self.names)

    def set_unit(self, unit: str) -> None:
        unit = unit or ""
        if unit == self.unit:
            return
        self.unit = unit
        for combo in self.combos:
            self._select(combo)
        self.changed.emit(unit)

    def bind(self, combo: QComboBox) -> QComboBox:
        """Keep `combo` showing the scope's units and choice, and follow the user's choice in it."""
        self.combos.append(combo)
        self._fill(combo)
        combo.currentIndexChanged.connect(lambda _index, c=combo: self.set_unit(c.currentData() or ""))
        return combo

    def new_combo(self) -> QComboBox:
        combo = QComboBox()
        combo.setMinimumContentsLength(8)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setToolTip("只看该单位牵头或配合的评价项目和整改问题")
        return self.bind(combo)

    def reload(self) -> None:
        """Units may have changed (assignments, a new catalogue, a new rectification): refresh nodes and combos."""
        self.apply_assignments()
        for combo in self.combos:
            self._fill(combo)
        if self.unit and self.unit not in self.names:
            self.set_unit("")

    def apply_assignments(self) -> None:
        archive = self.session.archive
        assignments = effective_assignments(archive)
        for code, node in self.session.model.nodes.items():
            if code in assignments:
                node.units, node.due = assignments[code].units, assignments[code].due
        self.names = known_units(archive)

    def _fill(self, combo: QComboBox) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(ALL_UNITS, "")
        for name in self.names:
            combo.addItem(name, name)
        combo.blockSignals(False)
        self._select(combo)

    def _select(self, combo: QComboBox) -> None:
        """Not silently: a combo's own listeners (the tree's filter) must hear it. set_unit ignores the echo."""
        index = max(0, combo.findData(self.unit))
        if index != combo.currentIndex():
            combo.setCurrentIndex(index)
