"""The import plan in the app: the resulting tree, a drop-down over every column, warnings and skipped rows.

A clerk who sees a wrong column role picks the right one in its drop-down; the plan is rebuilt with that mapping
(in the background) and shown again. Nothing is written here: the dialogs that embed the view do that once the
clerk accepts the plan.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QScrollArea,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from criteria.importers import plan_import
from criteria.importers.document import HeaderNotFound
from criteria.importers.plan import ImportPlan
from criteria.importers.plantext import part_line
from criteria.importers.roles import Column
from criteria.importers.vocab import ROLE_NAMES
from criteria.template import load_template
from ui.common.worker import describe_error, run_job

ERROR_STYLE = "color: #c62828;"
WARNING_STYLE = "color: #b26a00;"
UNKNOWN = "（未识别，不导入）"


def parse_plan(source: str | None, mapping: dict[str, str] | None = None) -> ImportPlan:
    """The plan of the file at `source`, or of the built-in template (source None); CatalogueError says where."""
    if source is None:
        catalogue = load_template()
        catalogue.validate()
        return ImportPlan(catalogue.source or "内置模板", catalogue)
    return plan_import(source, mapping or None)


def mapping_key(column: Column, columns: list[Column]) -> str:
    """How a drop-down names its column in the mapping: its header text when unique, else its letter."""
    same = [c for c in columns if c.header == column.header]
    return column.header if column.header and len(same) == 1 else column.letter


class ImportPlanView(QWidget):
    """Summary, column drop-downs, and tabs for the tree, the warnings, the rows not imported and the parts."""

    mapping_changed = Signal(dict)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.mapping: dict[str, str] = {}
        self.combos: list[QComboBox] = []
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.columns_box = QWidget()
        self.columns_grid = QGridLayout(self.columns_box)
        self.columns_grid.setContentsMargins(0, 0, 0, 0)
        self.columns_grid.setVerticalSpacing(2)
        scroll = QScrollArea()
        scroll.setWidget(self.columns_box)
        scroll.setWidgetResizable(True)
        scroll.setFixedHeight(60)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.columns_area = scroll
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["编号", "评价项目", "分值", "责任单位", "类别", "完成时限"])
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.warnings = QListWidget()
        self.skipped = QListWidget()
        self.parts = QListWidget()
        self.tabs = QTabWidget()
        for widget, name in ((self.tree, "目录树"), (self.warnings, "警告"), (self.skipped, "未导入的行"),
                             (self.parts, "工作表/表格")):
            self.tabs.addTab(widget, name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.columns_area)
        layout.addWidget(self.tabs, 1)
        self.columns_area.hide()

    # --- showing ------------------------------------------------------------------------------------------------

    def show_plan(self, plan: ImportPlan) -> None:
        self.mapping = dict(plan.mapping)
        self._show_columns(plan.columns)
        self._show_tree(plan)
        self._fill(self.warnings, [w.message for w in plan.warnings], 1, "警告")
        self._fill(self.skipped, [f"{r.where} 第 {r.row} 行“{r.text[:40]}”：{r.reason}" for r in plan.skipped_rows],
                   2, "未导入的行")
        self._fill(self.parts, [part_line(p) for p in plan.parts], 3, "工作表/表格")
        text = f"“{plan.catalogue.title}”：{plan.summary()}。"
        text += f"\n{plan.catalogue.note}" if plan.catalogue.note else ""
        if plan.warnings:
            text += f"\n有 {len(plan.warnings)} 条警告，请先看“警告”页再确认。"
        self.summary.setStyleSheet(WARNING_STYLE if plan.warnings else "")
        self.summary.setText(text)

    def show_hint(self, message: str) -> None:
        """Nothing to show yet (no file chosen): a plain word of what to do, not an error."""
        self.tree.clear()
        for widget in (self.warnings, self.skipped, self.parts):
            widget.clear()
        self._show_columns([])
        self.summary.setStyleSheet("")
        self.summary.setText(message)

    def show_error(self, message: str, columns: list[Column] | None = None) -> None:
        self.tree.clear()
        for widget in (self.warnings, self.skipped, self.parts):
            widget.clear()
        self._show_columns(columns or [])
        self.summary.setStyleSheet(ERROR_STYLE)
        hint = "\n请在上方各列的下拉框中指明哪一列是“评价内容”等。" if columns else ""
        self.summary.setText(f"无法使用这份评价细则：{message}{hint}")

    def _show_tree(self, plan: ImportPlan) -> None:
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for crit in plan.catalogue.criteria:
            points = f"{crit.points:g}" if crit.points is not None else ""
            if points and crit.code in plan.points_from_text:
                points += "（文字）"
            # 类别 last: what the pass projection counts on (关键项, 否决项), to be checked before the import
            item = QTreeWidgetItem([crit.shown_code(), crit.title, points, "、".join(crit.units), crit.kind, crit.due])
            item.setToolTip(1, _details(crit))  # what the tree has no room for: how the columns were read
            parent = items.get(crit.parent) if crit.parent else None
            (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
            items[crit.code] = item
        self.tree.expandAll()
        # 完成时限 only for a table that gives deadlines, and then within the box's width at 1366x768
        dated = any(crit.due for crit in plan.catalogue.criteria)
        self.tree.setColumnHidden(5, not dated)
        for column, width in enumerate((110, 260, 80, 150, 60) if dated else (150, 330, 90, 150)):
            self.tree.setColumnWidth(column, width)

    def _fill(self, widget: QListWidget, lines: list[str], tab: int, name: str) -> None:
        widget.clear()
        widget.addItems(lines)
        self.tabs.setTabText(tab, f"{name}（{len(lines)}）" if lines else name)

    def _show_columns(self, columns: list[Column]) -> None:
        while self.columns_grid.count():
            self.columns_grid.takeAt(0).widget().deleteLater()
        self.combos = []
        for position, column in enumerate(columns):
            label = QLabel(f"{column.letter} {column.header or '（无表头）'}")
            label.setToolTip(column.header)
            combo = QComboBox()
            combo.addItem(UNKNOWN, None)
            for role, name in ROLE_NAMES.items():
                combo.addItem(name, role)
            combo.setCurrentIndex(max(0, combo.findData(column.role)) if column.role else 0)
            if column.source == "content":
                combo.setToolTip("按这一列的内容判断，请核对")
            combo.activated.connect(lambda _, c=column, box=combo, cols=columns: self._picked(c, box, cols))
            self.columns_grid.addWidget(label, 0, position)
            self.columns_grid.addWidget(combo, 1, position)
            self.combos.append(combo)
        self.columns_area.setVisible(bool(columns))

    def _picked(self, column: Column, combo: QComboBox, columns: list[Column]) -> None:
        role = combo.currentData() or "ignore"
        self.mapping[mapping_key(column, columns)] = role
        self.mapping_changed.emit(dict(self.mapping))


class PlanLoader:
    """Builds the plan of a source in the background and shows it (or the refusal) in a view; re-plans when the
    clerk changes a column's role. `on_plan(plan or None)` hears of every outcome."""

    def __init__(self, owner: QWidget, view: ImportPlanView, on_plan) -> None:
        self.owner, self.view, self.on_plan = owner, view, on_plan
        self.source: str | None = None
        self.mapping: dict[str, str] = {}
        self.job = None
        view.mapping_changed.connect(self._remap)

    def load(self, source: str | None, mapping: dict[str, str] | None = None) -> None:
        self.source, self.mapping = source, dict(mapping or {})
        self.on_plan(None)
        source_now, mapping_now = self.source, dict(self.mapping)
        self.job = run_job(self.owner, "读取评价细则", lambda progress, cancel: parse_plan(source_now, mapping_now),
                           self._done, self._failed)

    def _remap(self, mapping: dict) -> None:
        self.load(self.source, mapping)

    def _done(self, plan: ImportPlan) -> None:
        self.view.show_plan(plan)
        self.on_plan(plan)

    def _failed(self, exc: BaseException) -> None:
        self.view.mapping = dict(self.mapping)
        self.view.show_error(describe_error(exc), exc.columns if isinstance(exc, HeaderNotFound) else None)
        self.on_plan(None)


class ImportPlanDialog(QDialog):
    """A revised table's plan, for approval: 导入 stores `plan.catalogue` through the caller's `accepted` slot."""

    def __init__(self, path: str, describe=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("导入修订的评价细则")
        self.resize(900, 640)
        self.plan: ImportPlan | None = None
        self.describe = describe  # plan -> a line comparing it with the current catalogue
        self.view = ImportPlanView()
        self.comparison = QLabel()
        self.comparison.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("导入")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"文件：{path}"))
        layout.addWidget(self.view, 1)
        layout.addWidget(self.comparison)
        layout.addWidget(self.buttons)
        self.loader = PlanLoader(self, self.view, self._planned)
        self.loader.load(path)

    def _planned(self, plan: ImportPlan | None) -> None:
        self.plan = plan
        self.comparison.setText(self.describe(plan) if plan is not None and self.describe else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(plan is not None)


def _details(crit) -> str:
    """The title with the texts the other columns gave it (评价细则, 测评方式, 佐证材料), for the clerk to check
    which column went where before the import."""
    parts = [crit.title] + [f"{name}：{value}" for name, value in (("评价细则", crit.rule), ("测评方式", crit.method),
                                                                   ("佐证材料", crit.evidence)) if value]
    return "\n".join(parts)
