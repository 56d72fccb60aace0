"""The overview: overall progress, progress by top-level category and by lead unit, the gap list, latest changes.

Progress counts the leaf criteria (the ones evidence is filed against); a parent's own state is a roll-up.
"""

from __future__ import annotations

import json
import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive.deadlines import criterion_overdue
from archive.status import STATE_NAMES
from selfeval.rectify import describe_link_code
from ui.common.extensions import OrderedSlot
from ui.common.icons import state_color, state_icon
from ui.workspace.charts import Bar, BarChart
from ui.workspace.session import ArchiveSession
from ui.workspace.tree_model import titled, tree_code

GAP_STATES = ("missing", "unreachable", "changed")
EVENT_NAMES = {"added": "新增", "modified": "修改", "removed": "删除", "moved": "移动/改名"}
FEED_LIMIT = 200
UNIT_ROWS_SHOWN = 8
NO_UNIT = "未指定单位"
LIST_MIN_HEIGHT = 260


def summarize(session: ArchiveSession, unit: str = "") -> tuple[Bar, list[Bar], list[Bar]]:
    """(all leaves, one bar per top-level category, one bar per lead unit); with `unit`, only that unit's leaves."""
    model = session.model
    overall, categories, units = Bar("全部"), {}, {}
    for node in model.nodes.values():
        if node.children or node.status is None or (unit and unit not in node.units):
            continue
        state = node.status.state
        top = node
        while top.parent is not None and top.parent is not model.root:
            top = top.parent
        overall.add(state)
        categories.setdefault(top.code, Bar(titled(tree_code(top.criterion), top.criterion.title))).add(state)
        units.setdefault(node.units[0] if node.units else NO_UNIT, Bar("")).add(state)
    unit_bars = [Bar(name, bar.counts) for name, bar in units.items()]
    unit_bars.sort(key=lambda b: (-b.total, b.label))
    return overall, list(categories.values()), unit_bars


def _progress_bar(fmt: str) -> QProgressBar:
    bar = QProgressBar()
    bar.setFormat(fmt)
    bar.setTextVisible(True)
    bar.setMinimumHeight(22)
    return bar


def _flat_list(headers: list[str]) -> QTreeWidget:
    widget = QTreeWidget()
    widget.setHeaderLabels(headers)
    widget.setRootIsDecorated(False)
    widget.setUniformRowHeights(True)
    widget.setAlternatingRowColors(True)
    widget.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return widget


class OverviewPage(QWidget):
    criterion_activated = Signal(str)

    def __init__(self, session: ArchiveSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.unit = ""  # one unit's share only (lead or assisting), or everything
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.evidence_bar = _progress_bar("有材料：%v/%m 项（%p%）")
        self.confirmed_bar = _progress_bar("已确认：%v/%m 项（%p%）")
        self.by_category = BarChart()
        self.by_unit = BarChart(legend=False)
        self.gaps = _flat_list(["编号", "评价项目", "状态", "时限", "牵头单位"])
        self.feed = _flat_list(["时间", "变更", "文件", "评价项目"])
        for column, width in enumerate((90, 70, 300)):
            self.feed.setColumnWidth(column, width)
        self.feed_last = 0  # the id of the newest change-log entry the feed shows
        self._layout()
        self.gaps.itemActivated.connect(self._activate)
        self.feed.itemActivated.connect(self._activate)
        session.refreshed.connect(lambda _codes: self.refresh())
        session.files_changed.connect(self._add_changes)
        self.refresh()

    def _layout(self) -> None:
        top = QGroupBox("总体进度（末级评价项目）")
        top_layout = QGridLayout(top)
        top_layout.addWidget(self.headline, 0, 0, 1, 2)
        top_layout.addWidget(self.evidence_bar, 1, 0)
        top_layout.addWidget(self.confirmed_bar, 1, 1)
        charts = QHBoxLayout()
        charts.addWidget(self._boxed("按类别", self.by_category), 1)
        charts.addWidget(self._boxed("按牵头单位（有材料/项目数）", self.by_unit, scroll=UNIT_ROWS_SHOWN), 1)
        lists = QSplitter(Qt.Orientation.Horizontal)
        lists.addWidget(self._boxed("缺口清单（缺材料、无法访问、确认后有变更）", self.gaps))
        lists.addWidget(self._boxed("最近变更", self.feed))
        lists.setChildrenCollapsible(False)
        lists.setMinimumHeight(LIST_MIN_HEIGHT)  # the gap list and latest changes stay readable: the page scrolls
        content = QWidget()
        self.sections = QVBoxLayout(content)
        self.feature_boxes = QVBoxLayout()  # the features' boxes (add_box), above the progress
        self.feature_boxes.setContentsMargins(0, 0, 0, 0)
        self.feature_slot = OrderedSlot(self.feature_boxes)
        self.sections.addLayout(self.feature_boxes)
        self.sections.addWidget(top)
        self.sections.addLayout(charts)
        self.sections.addWidget(lists, 1)
        area = QScrollArea()
        area.setWidget(content)
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(area)

    def add_box(self, widget: QWidget, order: int = 0) -> None:
        """A feature's box (the creation period, the projected result), above the progress, in `order`."""
        self.feature_slot.add(widget, order)

    @staticmethod
    def _boxed(title: str, widget: QWidget, scroll: int = 0) -> QGroupBox:
        """A titled box; with `scroll`, a chart shows that many whole bars and scrolls for the rest."""
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        if scroll:
            area = QScrollArea()
            area.setWidget(widget)
            area.setWidgetResizable(True)
            area.setFrameShape(QScrollArea.Shape.NoFrame)
            area.setFixedHeight(widget.row_height * scroll + 4)  # whole bars only: none cut in half
            widget = area
        layout.addWidget(widget)
        if isinstance(widget, BarChart):
            layout.addStretch()  # bars at the top of a box stretched to its neighbour's height
        return box

    def refresh(self) -> None:
        overall, categories, units = summarize(self.session, self.unit)
        total = max(1, overall.total)
        self.evidence_bar.setRange(0, total)
        self.evidence_bar.setValue(overall.with_evidence)
        self.confirmed_bar.setRange(0, total)
        self.confirmed_bar.setValue(overall.confirmed)
        parts = "，".join(f"{STATE_NAMES[s]} {overall.counts[s]} 项" for s in STATE_NAMES if overall.counts.get(s))
        title = self.session.archive.title + (f"（{self.unit}）" if self.unit else "")
        self.headline.setText(f"<b>{title}</b>：共 {overall.total} 个末级评价项目，{parts}。")
        self.by_category.set_bars(categories)
        self.by_unit.set_bars(units)
        self._fill_gaps()
        self.refresh_feed()

    def _fill_gaps(self) -> None:
        self.gaps.clear()
        items = []
        for node in self.session.model.nodes.values():
            state = node.status.state if node.status else "missing"
            if node.children or state not in GAP_STATES or (self.unit and self.unit not in node.units):
                continue
            late = criterion_overdue(state, node.due)
            item = QTreeWidgetItem([node.code, node.criterion.title, STATE_NAMES[state],
                                    node.due + ("（逾期）" if late else ""), node.units[0] if node.units else ""])
            item.setIcon(0, state_icon(state))
            item.setForeground(2, state_color(state))
            if late:  # past its deadline and still without evidence: what to chase first
                item.setForeground(3, state_color("missing"))
            item.setData(0, Qt.ItemDataRole.UserRole, node.code)
            items.append(item)
        self.gaps.addTopLevelItems(items)
        for column, width in enumerate((70, 230, 90, 130)):
            self.gaps.setColumnWidth(column, width)

    def set_unit(self, unit: str) -> None:
        self.unit = unit
        self.refresh()

    def refresh_feed(self) -> None:
        """Add the entries the feed does not show yet, read by id (the latest FEED_LIMIT at first)."""
        rows = self.session.archive.conn.execute(
            "SELECT id, time, kind, path, old_path, codes FROM events WHERE id > ? ORDER BY id DESC LIMIT ?",
            (self.feed_last, FEED_LIMIT)).fetchall()
        self._prepend([(*row[:5], json.loads(row[5] or "[]")) for row in rows])

    def _add_changes(self, changes: list) -> None:
        """The monitor's entries are the data: they go on top as they are; without any (a scan), read what is new."""
        if not changes:
            self.refresh_feed()
            return
        newest_first = [(e["id"], e["time"], e["kind"], e["path"], e["old_path"], e["codes"])
                        for e in reversed(changes[-FEED_LIMIT:]) if e["id"] > self.feed_last]
        self._prepend(newest_first)

    def _prepend(self, rows: list[tuple]) -> None:
        """rows: (id, time, kind, path, old_path, codes), newest first; the feed keeps the latest FEED_LIMIT."""
        if not rows:
            return
        self.feed_last = max(self.feed_last, rows[0][0])
        items = []
        for _, time, kind, path, old_path, codes in rows[:FEED_LIMIT]:
            item = QTreeWidgetItem([time[5:16], EVENT_NAMES.get(kind, kind), change_label(path, old_path),
                                    "、".join(describe_link_code(c) for c in codes)])
            item.setToolTip(2, path if not old_path else f"{old_path}\n→ {path}")
            item.setData(0, Qt.ItemDataRole.UserRole, codes[-1] if codes else None)
            items.append(item)
        if len(items) >= FEED_LIMIT:
            self.feed.clear()
        self.feed.insertTopLevelItems(0, items)
        for _ in range(self.feed.topLevelItemCount() - FEED_LIMIT):
            self.feed.takeTopLevelItem(FEED_LIMIT)

    def _activate(self, item: QTreeWidgetItem) -> None:
        code = item.data(0, Qt.ItemDataRole.UserRole)
        if code:
            self.criterion_activated.emit(code)


def change_label(path: str, old_path: str | None) -> str:
    """A feed entry's file: its name; renamed, "old → new"; moved under the same name, where it went from the
    folder both places share (a folder moved or re-pointed logs each file so: "名单.txt → 名单.txt" said nothing).
    The tooltip has both paths."""
    name = os.path.basename(path)
    if not old_path:
        return name
    old_name = os.path.basename(old_path)
    if old_name != name:
        return f"{old_name} → {name}"
    folder = os.path.dirname(path)
    try:
        shared = os.path.commonpath([folder, os.path.dirname(old_path)])
    except ValueError:  # other drives
        shared = ""
    where = os.path.relpath(folder, shared) if shared else folder
    if where == os.curdir:  # moved up into the folder both share: name that folder
        where = os.path.basename(folder) or folder
    return f"{name}（移至 {where}）"
