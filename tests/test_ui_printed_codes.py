"""The app shows a criterion by the code its table printed, as the import plan did before the import and the
dossier does after it: a part printed 第一部分 is not "一" in the tree, nor a group the table left unnumbered "一.1"
as if the table said so; the archive's own code stays the key (links, the CLI) and is named where it differs."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from archive.catalogue import store_catalogue
from archive.db import create_archive
from criteria.model import Catalogue, Criterion
from tests.ui_support import make_window, settings_fixture  # noqa: F401 - fixtures
from ui.workspace.tree_model import CODE_ROLE


def printed_catalogue() -> Catalogue:
    """A county table: parts 第一部分, groups under them without a number, items numbered 1-1 and （二）."""
    return Catalogue("某县细则", [
        Criterion("一", "组织领导", level=1, label="第一部分"),
        Criterion("一.1", "党政同责", parent="一", level=2),
        Criterion("1.1", "纳入党政领导班子考核", parent="一.1", level=3, label="1-1", points=10),
        Criterion("1.2", "建立食品安全委员会工作机制", parent="一.1", level=3, label="（二）", points=10),
    ])


def shown_rows(model, parent=None) -> dict[str, str]:
    parent = QModelIndex() if parent is None else parent
    rows = {}
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        rows[index.data(CODE_ROLE)] = index.data()
        rows.update(shown_rows(model, index))
    return rows


def test_tree_heading_and_overview_show_the_printed_codes(qtbot, settings, tmp_path):
    archive = create_archive(tmp_path / "某县.rrdb", "某县")
    store_catalogue(archive, printed_catalogue())
    archive.close()
    window = make_window(qtbot, settings, tmp_path / "某县.rrdb")
    workspace = window.workspace
    model = workspace.session.model
    # as the table printed them, where that names the row; "（二）" (under every part) does not: its archive code
    assert shown_rows(model) == {"一": "第一部分  组织领导", "一.1": "[一.1]  党政同责",
                                 "1.1": "1-1  纳入党政领导班子考核", "1.2": "1.2  建立食品安全委员会工作机制"}
    tooltip = model.index_of("1.1").data(3)  # ToolTipRole: the archive's code, which the CLI and links use
    assert tooltip.startswith("1-1 纳入党政领导班子考核") and "档案编号：1.1" in tooltip
    assert model.index_of("1.2").data(3).startswith("（二） [1.2] 建立食品安全委员会工作机制")

    workspace.criteria.select("1.1")
    assert workspace.detail.heading.text().startswith("1-1  纳入党政领导班子考核")
    workspace.criteria.select("1.2")  # alone, the heading names the archive's code where the printed one does not
    assert workspace.detail.heading.text().startswith("（二） [1.2]  建立食品安全委员会工作机制")
    overview = workspace.overview
    assert [bar.label for bar in overview.by_category.bars] == ["第一部分  组织领导"]
