"""Tab in the order a clerk reads a panel: top to bottom, left to right, whatever order its widgets were made in.

Qt's default Tab order is the order widgets joined the window. A panel that features extend after it is built
(a box added above the sign-off, buttons added under a table) gets their widgets at the end of the chain, so Tab
jumped from the first part of the panel to the last and back. `follow_layout` walks the panel's layouts, which hold
the widgets in the order they are shown (a grid by row, then column), and chains the widgets Tab stops at in that
order with QWidget.setTabOrder. Call it again whenever widgets are added.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QGridLayout, QLayout, QScrollArea, QSplitter, QWidget


def takes_tab(widget: QWidget) -> bool:
    return bool(widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value)


def layout_order(root: QWidget) -> Iterator[QWidget]:
    """The widgets under `root` that Tab stops at, in the order the layouts show them (hidden ones too: Tab skips
    them itself, and they take their place when shown)."""
    if takes_tab(root):
        yield root
    if isinstance(root, QSplitter):
        for index in range(root.count()):
            yield from layout_order(root.widget(index))
    elif isinstance(root, QScrollArea):
        if root.widget() is not None:
            yield from layout_order(root.widget())
    elif not isinstance(root, QAbstractScrollArea) and root.layout() is not None:  # a table's insides are its own
        yield from _in_layout(root.layout())


def _in_layout(layout: QLayout) -> Iterator[QWidget]:
    indexes = list(range(layout.count()))
    if isinstance(layout, QGridLayout):  # items in the order they were added: show them by row, then column
        indexes.sort(key=lambda index: layout.getItemPosition(index)[:2])
    for index in indexes:
        item = layout.itemAt(index)
        if item.widget() is not None:
            yield from layout_order(item.widget())
        elif item.layout() is not None:
            yield from _in_layout(item.layout())


def follow_layout(root: QWidget) -> None:
    """Make Tab go through `root`'s widgets in the order its layouts show them, one after the other from where the
    first of them is in the window's chain; Tab then goes on to what followed the last before."""
    widgets = list(dict.fromkeys(layout_order(root)))
    for first, second in pairwise(widgets):
        QWidget.setTabOrder(first, second)
