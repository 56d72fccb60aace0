"""Extension points: how a feature plugs into the window, by registering what it adds, never by reaching into
another widget's layout, its indices or its attributes.

- A workspace feature (`WorkspaceFeature(key, attach)`) is handed to the page of every open archive by the main
  window (ui/window/features.py). `attach(workspace)` builds the feature's parts and places them through the
  workspace's points (ui/workspace/workspace.py: add_detail_section, add_overview_box, add_tab, add_corner_widget,
  and the detail panel's evidence-table points). What it returns is the feature's handle: workspace.feature(key).
- A window feature (`WindowFeature`) lists the actions it adds to the window's menus (`MenuEntry`: which menu,
  which group in it) and the menus of its own (`FeatureMenu`), and hears when an archive opens or closes.

Every place keeps its parts in `order` (ties: first registered first), so no feature needs another one's index.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QBoxLayout, QWidget


@dataclass(frozen=True)
class WorkspaceFeature:
    key: str  # its handle is workspace.feature(key)
    attach: Callable[[Any], object]  # attach(workspace) -> the feature's handle


@dataclass(frozen=True)
class MenuEntry:
    """Actions a feature adds to one of the window's menus, at the end of a named group (the window draws a
    separator between groups): menu "file" (groups "open", "export"), "archive" ("index", "packages"), or
    "toolbar" ("index")."""

    menu: str
    group: str
    actions: tuple[QAction, ...]


@dataclass(frozen=True)
class FeatureMenu:
    """A top-level menu of a feature's own (自评, 阶段), between the window's 视图 and 工具; its groups are
    separated."""

    title: str
    groups: tuple[tuple[QAction, ...], ...]


class WindowFeature:
    """What a feature of the main window may offer; the defaults add nothing. The main window creates each
    feature once and calls these (ui/window/main_window.py)."""

    def menu_entries(self) -> list[MenuEntry]:
        return []

    def menus(self) -> list[FeatureMenu]:
        return []

    def update(self) -> None:
        """An archive opened or closed: enable what applies."""

    def archive_opened(self, session) -> None:
        """After the workspace of a newly opened archive is shown."""

    def archive_closed(self) -> None:
        """Before the open archive's workspace goes away."""


class OrderedSlot:
    """Widgets kept in `order` in a box layout that holds nothing else (ties: first added first)."""

    def __init__(self, layout: QBoxLayout):
        self.layout = layout
        self.orders: list[int] = []

    def add(self, widget: QWidget, order: int) -> None:
        position = bisect.bisect_right(self.orders, order)
        self.orders.insert(position, order)
        self.layout.insertWidget(position, widget)

    def widgets(self) -> list[QWidget]:
        return [self.layout.itemAt(n).widget() for n in range(self.layout.count())]
