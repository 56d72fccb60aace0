"""The search wing in the window: texts read in the background after the archive opens, the search box grouping hits
by criterion with their page, and the suggestion list accepting and rejecting."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from ui_support import make_window, messages_fixture, settings_fixture, wait_for_indexer  # noqa: F401

from archive.db import open_archive
from archive.index.scan import scan
from archive.links import link
from search.suggest import remember_root
from tests.search_support import write_docx, write_pdf
from ui.common.statusline import whole_message


@pytest.fixture
def indexed_tree(archive, tmp_path):
    market = tmp_path / "证明材料" / "县市场监管局" / "2.1.1 快检台账"
    write_docx(market / "快检记录.docx", ["农贸市场快检室每日检测记录，附检测台账。"])
    write_pdf(market / "督查报告.pdf", ["第一页 督查概况", "第二页 农贸市场快检室运行正常"])
    loose = tmp_path / "证明材料" / "县教育局" / "学校食堂明厨亮灶"
    write_docx(loose / "关于校园食品安全示范提升行动的通知.docx", ["学校食堂明厨亮灶，校长陪餐，校园食品安全示范。"])
    link(archive, "2.1.1", [str(market)])
    scan(archive)
    remember_root(archive, str(tmp_path / "证明材料"))
    path = archive.path
    archive.close()
    return path, loose


def searched(qtbot, settings, path, text: str):
    """(window, search dialog) once the window has read the texts and the dialog searched for `text`."""
    window = make_window(qtbot, settings, path)
    wait_for_indexer(qtbot, window)
    dialog = window.search.open_search()
    dialog.box.setText(text)
    dialog.run()
    return window, dialog


def test_texts_read_in_the_background_and_searched_by_criterion(qtbot, settings, indexed_tree):
    window = make_window(qtbot, settings, indexed_tree[0])
    wait_for_indexer(qtbot, window)
    stored = window.session.archive.conn.execute("SELECT COUNT(*) FROM text_docs WHERE state = 'text'").fetchone()
    assert stored == (2,)
    dialog = window.search.open_search()
    dialog.box.setText("快检室")
    dialog.run()
    assert dialog.results.topLevelItemCount() == 1
    group = dialog.results.topLevelItem(0)
    assert group.text(0) == "2.1.1 农残快检台账（2）"
    rows = {group.child(n).text(0): (group.child(n).text(1), group.child(n).text(2)) for n in range(2)}
    assert rows["督查报告.pdf"][0] == "第 2 页" and "【快检室】" in rows["督查报告.pdf"][1]
    assert rows["快检记录.docx"][0] == "正文"
    dialog.box.setText("检测台账")  # deep in its text: the column shows the match near its start, the tooltip all
    dialog.run()
    hit = dialog.results.topLevelItem(0).child(0)
    assert hit.text(2).startswith("…") and hit.text(2).index("【检测台账】") <= 14, hit.text(2)
    assert hit.toolTip(2).endswith(hit.text(2)[1:]) and len(hit.toolTip(2)) > len(hit.text(2))
    dialog.box.setText("鳖甲")
    dialog.run()
    assert dialog.results.topLevelItemCount() == 0 and dialog.summary.text().startswith("没有找到")


def test_hits_of_the_same_name_say_their_folder(qtbot, settings, indexed_tree, tmp_path):
    market = tmp_path / "证明材料" / "县市场监管局" / "2.1.1 快检台账"
    write_docx(market / "旧版" / "快检记录.docx", ["农贸市场快检室检测记录（旧版）。"])  # last year's, same name
    with open_archive(indexed_tree[0]) as archive:
        scan(archive)
    group = searched(qtbot, settings, indexed_tree[0], "快检室")[1].results.topLevelItem(0)
    names = sorted(group.child(n).text(0) for n in range(group.childCount()))
    assert names == ["快检记录.docx（2.1.1 快检台账）", "快检记录.docx（旧版）", "督查报告.pdf"]


def test_suggestions_accepted_above_a_score_and_rejected_for_good(qtbot, settings, indexed_tree):
    path, loose = indexed_tree
    window = make_window(qtbot, settings, path)
    wait_for_indexer(qtbot, window)
    dialog = window.search.open_suggestions()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=60000)
    assert [c.path for c in dialog.report.candidates] == [str(loose)]
    assert dialog.report.candidates[0].suggestions[0].code == "2.2"
    folder = dialog.table.topLevelItem(0)  # as found under the folder analysed, said in the heading; whole on hover
    root = next(r for r in dialog.report.roots if str(loose).startswith(r + os.sep))
    assert folder.text(0) == os.path.relpath(loose, root).replace(os.sep, "/") and folder.toolTip(0) == str(loose)
    first = dialog.table.topLevelItem(0).child(0)
    assert first.checkState(0) == Qt.CheckState.Checked  # the best suggestion above the score comes ticked
    second = dialog.table.topLevelItem(0).child(1)
    first.setCheckState(0, Qt.CheckState.Unchecked)
    second.setCheckState(0, Qt.CheckState.Checked)
    rejected_code = second.data(0, Qt.ItemDataRole.UserRole)[1]
    dialog.report = None
    dialog.reject_checked()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=60000)
    codes = [s.code for s in dialog.report.candidates[0].suggestions]
    assert rejected_code not in codes and codes[0] == "2.2"
    dialog.report = dialog.report  # accept every best suggestion scoring at least the threshold
    dialog.threshold.setValue(0.3)
    dialog.accept_above()
    qtbot.waitUntil(lambda: ("2.2", str(loose)) in set(window.session.archive.conn.execute(
        "SELECT code, path FROM links")), timeout=60000)
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.report.candidates == [], timeout=60000)
    files = window.session.archive.conn.execute("SELECT COUNT(*) FROM files WHERE path LIKE ?", (f"{loose}%",))
    assert files.fetchone() == (1,)  # accepted links are indexed at once
    note = dialog.table.topLevelItem(0)  # nothing left to suggest: the list says why instead of staying blank
    assert dialog.table.topLevelItemCount() == 1 and note.text(0).startswith("没有建议")
    assert note.childCount() == 0 and not note.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert dialog.tabs.tabText(0) == "未关联的文件夹和文件（0）"


def test_ocr_says_how_long_before_it_starts_and_stays_off_until_then(qtbot, settings, messages, monkeypatch,
                                                                      indexed_tree, tmp_path):
    from search import ocr
    from tests.test_search_ocr import StandInEngine

    window = make_window(qtbot, settings, indexed_tree[0])
    assert window.search.indexer.ocr is False  # off by default
    monkeypatch.setattr(ocr, "available", lambda: False)
    assert window.search.turn_on_ocr() is False
    assert "requirements-ocr.txt" in messages[-1][1]
    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(ocr, "_engine", StandInEngine())
    indexer = wait_for_indexer(qtbot, window)
    assert window.search.turn_on_ocr() is True  # the recorded question box answers yes
    assert "预计约" in messages[-1][1] and window.search.ocr_enabled()
    qtbot.waitUntil(lambda: indexer.thread is None and not indexer.timer.isActive(), timeout=60000)


def test_a_pdf_hit_opens_at_its_page_or_names_it(qtbot, settings, indexed_tree, monkeypatch):
    from search import pdf_viewer
    from search.pdf_viewer import INDEX_VIEWER, OTHER, Handler

    started = []
    monkeypatch.setattr(pdf_viewer, "spawn", lambda command, path: started.append(command))
    monkeypatch.setattr(pdf_viewer, "open_with_system", lambda path: started.append([path]))
    window, dialog = searched(qtbot, settings, indexed_tree[0], "快检室")
    group = dialog.results.topLevelItem(0)
    pdf = next(group.child(n) for n in range(group.childCount()) if group.child(n).text(0) == "督查报告.pdf")
    path = pdf.data(0, Qt.ItemDataRole.UserRole)
    monkeypatch.setattr(pdf_viewer, "registered_handler", lambda: Handler(INDEX_VIEWER, "/usr/bin/evince"))
    dialog.open_item(pdf)
    assert started[-1] == ["/usr/bin/evince", "--page-index=2", path]
    assert dialog.summary.text() == "已在第 2 页打开 督查报告.pdf"
    assert whole_message(window.statusBar()) == dialog.summary.text()
    monkeypatch.setattr(pdf_viewer, "registered_handler", lambda: Handler(OTHER, "wpspdf.exe"))
    dialog.open_item(pdf)
    assert started[-1] == [path] and "请翻到第 2 页" in dialog.summary.text()


def test_the_analysed_folders_are_named_shortly(tmp_path):
    from ui.search.suggest import roots_text

    units = [str(tmp_path / "证明材料" / name) for name in ("县食安办", "县教育局", "各乡镇")]
    assert roots_text(units) == f"{tmp_path / '证明材料'} 下的 3 个文件夹"
    assert roots_text(units[:2]) == "、".join(units[:2])
    assert roots_text([]).startswith("（无")
