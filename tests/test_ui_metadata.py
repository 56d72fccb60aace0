"""Evidence metadata in the app, offscreen on a real archive: the evidence table's metadata columns edited in place,
several files set at once, the photo caption view with its upright thumbnail, undo and redo, the Excel import's
preview, and the creation period from the rules dialog to the table's problems and the overview. Every write runs
on the job pool's thread, never on the UI thread; every wait is qtbot.waitUntil on an observable effect."""

from __future__ import annotations

import os
import threading

import pytest
from metadata_support import RED_HEADER, docx_with, heic_with_exif, jpeg_with_exif, ofd_file
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QInputDialog, QStyle

import ui.metadata.edits as edits
from archive.exclusions import Exclusion, exclude, exclusions, lapsed, put_marks
from archive.index.scan import scan
from archive.links import link
from archive.metadata.period import load_period, save_period
from archive.metadata.store import metadata_for_files, set_values
from archive.metadata.workbook import export_catalogue
from exporters.evidence import collect
from tests.ui_support import make_window, messages_fixture, settings_fixture  # noqa: F401 - fixtures
from ui.common import file_dialogs
from ui.metadata.caption import CaptionDialog
from ui.metadata.dialog import FillDialog
from ui.metadata.model import READ_COLOR, column_of
from ui.selfeval.rules_dialog import RulesDialog
from ui.workspace.evidence_model import EXCLUDED_COLOR, NAME, PAGES, PROBLEM
from ui.workspace.tree_model import CODE_ROLE

TIMEOUT = 60000


@pytest.fixture
def window(qtbot, settings, messages, archive, tmp_path, monkeypatch):
    root = tmp_path / "材料"
    (root / "照片").mkdir(parents=True)
    docx_with(root / "通知.docx", RED_HEADER)
    jpeg_with_exif(root / "照片" / "IMG_0001.jpg", taken="2024:05:20 09:15:00", orientation=6)
    jpeg_with_exif(root / "照片" / "IMG_0002.jpg", taken="2023:12:01 10:00:00")
    link(archive, "1.1", [str(root)])
    scan(archive)
    writers = []
    real = edits.set_values
    monkeypatch.setattr(edits, "set_values", lambda *a: writers.append(threading.current_thread()) or real(*a))
    window = make_window(qtbot, settings, archive.path)
    window.workspace.criteria.select("1.1")
    window.writers = writers
    return window


def type_into(edit, text: str) -> None:
    """What typing does to a line edit (qtbot.keyClicks takes ASCII only): new text, marked as edited."""
    edit.setText(edit.text() + text)
    edit.setModified(True)


def hooks_of(window):
    return window.workspace.feature("metadata")


def row_of(window, name: str) -> int:
    model = hooks_of(window).model
    return next(r for r in range(model.rowCount()) if model.index(r, NAME).data() == name)


def cell(window, name: str, key: str):
    return hooks_of(window).model.index(row_of(window, name), column_of(key))


def typed(archive, key: str) -> dict[str, str]:
    return {meta.name: meta[key] for meta in metadata_for_files(
        archive, [r[0] for r in archive.conn.execute("SELECT id FROM files")]).values() if meta.source(key) == "typed"}


def test_a_cell_edited_in_place_is_typed_on_the_writer_and_undone(qtbot, window, archive):
    hooks = hooks_of(window)
    title = cell(window, "通知.docx", "title")
    assert title.data() == "关于印发《某某县2024年食品安全重点工作安排》的通知"
    assert title.data(Qt.ItemDataRole.ForegroundRole).color() == READ_COLOR
    assert "读自文件：正文" in title.data(Qt.ItemDataRole.ToolTipRole)
    assert not cell(window, "通知.docx", "place").flags() & Qt.ItemFlag.ItemIsEditable  # photos only
    assert hooks.model.setData(title, "县食安办关于印发重点工作安排的通知")
    qtbot.waitUntil(lambda: cell(window, "通知.docx", "title").data() == "县食安办关于印发重点工作安排的通知",
                    timeout=TIMEOUT)
    assert typed(archive, "title") == {"通知.docx": "县食安办关于印发重点工作安排的通知"}
    assert window.writers and threading.main_thread() not in window.writers
    assert cell(window, "通知.docx", "title").data(Qt.ItemDataRole.ForegroundRole) is None  # typed: black
    hooks.actions["undo"].trigger()
    qtbot.waitUntil(lambda: typed(archive, "title") == {}, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: cell(window, "通知.docx", "title").data().startswith("关于印发"), timeout=TIMEOUT)
    hooks.actions["redo"].trigger()
    qtbot.waitUntil(lambda: typed(archive, "title") == {"通知.docx": "县食安办关于印发重点工作安排的通知"},
                    timeout=TIMEOUT)


def test_enter_in_an_edited_cell_moves_to_the_cell_below_as_in_excel(qtbot, window, archive):
    """Enter kept the edited cell current: the next title a clerk typed, typing being how a cell is edited,
    replaced the one just entered. Now Enter moves down the column; Esc and a click elsewhere do not."""
    from PySide6.QtWidgets import QApplication, QLineEdit

    table, proxy = window.workspace.detail.table, window.workspace.detail.proxy
    names = [proxy.index(row, NAME).data() for row in range(proxy.rowCount())]
    photos = [name for name in names if name.startswith("IMG")]  # the first of two: a row below it, either way
    first = proxy.mapFromSource(cell(window, photos[0], "subject"))
    table.setCurrentIndex(first)
    table.edit(first)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.setText("第一次检查")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: typed(archive, "subject") == {photos[0]: "第一次检查"}, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: table.currentIndex().row() == first.row() + 1)
    assert table.currentIndex().column() == first.column()
    assert table.selectionModel().isRowSelected(first.row() + 1)
    here = table.currentIndex()
    table.edit(here)
    editor = QApplication.focusWidget()
    editor.setText("不要")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not editor)
    assert table.currentIndex() == here and typed(archive, "subject") == {photos[0]: "第一次检查"}


def test_a_value_that_cannot_be_right_is_refused_before_any_write(window, messages, archive):
    assert not hooks_of(window).model.setData(cell(window, "通知.docx", "date"), "2024-02-30")
    assert messages == [("无法填写", "成文日期格式不正确：2024-02-30（应为 YYYY-MM-DD，如 2024-03-05）")]
    assert typed(archive, "date") == {} and window.writers == []


def test_several_selected_files_are_set_at_once(qtbot, window, archive, monkeypatch):
    hooks = hooks_of(window)
    table = window.workspace.detail.table
    table.selectAll()

    def fill(dialog: FillDialog) -> int:
        assert dialog.edits["place"].placeholderText() == "" and dialog.edits["title"].placeholderText() == "（多个值）"
        assert dialog.edits["note"].placeholderText() == "印在佐证材料目录的备注栏，送审版也印"  # the reviewers read it
        type_into(dialog.edits["place"], "县一中食堂")
        type_into(dialog.edits["people"], "张三、李四")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        return dialog.result()

    monkeypatch.setattr(FillDialog, "exec", fill)
    hooks.fill_selected()
    qtbot.waitUntil(lambda: typed(archive, "place") == {"IMG_0001.jpg": "县一中食堂", "IMG_0002.jpg": "县一中食堂"},
                    timeout=TIMEOUT)
    assert typed(archive, "people") == {"IMG_0001.jpg": "张三、李四", "IMG_0002.jpg": "张三、李四"}
    assert typed(archive, "title") == {}  # untouched fields are not written
    hooks.actions["undo"].trigger()
    qtbot.waitUntil(lambda: typed(archive, "place") == {}, timeout=TIMEOUT)


def test_selected_files_are_kept_out_of_the_dossier_shown_grey_and_undone(qtbot, window, archive, monkeypatch,
                                                                          settings):
    hooks = hooks_of(window)
    settings.confirmer = "李四"
    save_period(archive, "2024-01-01", "2026-06-30")  # the photo of 2023-12-01 gets a problem of its own
    window.workspace.detail.refresh_files()
    problem = lambda: hooks.model.index(row_of(window, "IMG_0002.jpg"), PROBLEM).data() or ""  # noqa: E731
    assert problem().startswith("日期不在创建周期内")
    table = window.workspace.detail.table
    table.selectRow(row_of(window, "IMG_0002.jpg"))
    asked = []
    monkeypatch.setattr(QInputDialog, "getText", lambda parent, title, label, *rest: asked.append(label)
                        or ("上一年度照片", True))
    assert [a.text() for a in table.actions()].index("不列入汇编…") < [a.text() for a in table.actions()].index("撤销")
    hooks.exclusion.exclude_action.trigger()
    assert asked and asked[0].startswith("IMG_0002.jpg：文件仍留在文件夹中")
    qtbot.waitUntil(lambda: problem().startswith("不列入汇编（李四 "), timeout=TIMEOUT)
    assert problem().endswith("：上一年度照片）")  # its date no problem any more: the mark settles it
    for column in (NAME, column_of("time")):  # a field's value too, read or typed
        cell = hooks.model.index(row_of(window, "IMG_0002.jpg"), column)
        assert cell.data(Qt.ItemDataRole.ForegroundRole).color() == EXCLUDED_COLOR
    assert "1 个不列入汇编" in window.workspace.detail.files.summary.text()
    assert [os.path.basename(f.path) for _, f, _ in collect(archive).excluded] == ["IMG_0002.jpg"]
    hooks.actions["undo"].trigger()
    qtbot.waitUntil(lambda: problem().startswith("日期不在创建周期内"), timeout=TIMEOUT)
    assert exclusions(archive) == {}


def test_a_mark_lapsed_with_the_content_is_noted_and_dismissed(qtbot, window, archive, tmp_path):
    photo = tmp_path / "材料" / "照片" / "IMG_0001.jpg"
    exclude(archive, [archive.conn.execute("SELECT id FROM files WHERE path = ?", (str(photo),)).fetchone()[0]])
    jpeg_with_exif(photo, taken="2024:05:21 09:15:00")  # replaced by another shot under the same name
    scan(archive)
    window.workspace.detail.refresh_files()
    hooks = hooks_of(window)
    problem = lambda: hooks.model.index(row_of(window, "IMG_0001.jpg"), PROBLEM).data() or ""  # noqa: E731
    assert problem() == "曾标为不列入汇编，内容已改变，照常导出"
    window.workspace.detail.table.selectRow(row_of(window, "IMG_0001.jpg"))
    hooks.exclusion.include_action.trigger()
    qtbot.waitUntil(lambda: problem() == "", timeout=TIMEOUT)
    assert not lapsed(archive)


def test_the_tree_filters_the_items_with_files_kept_out(qtbot, window, archive):
    hooks = hooks_of(window)
    notice = hooks.model.rows[row_of(window, "通知.docx")].id
    panel = window.workspace.criteria
    panel.state.setCurrentIndex(panel.state.findData("kept_out"))
    assert panel.state.currentText() == "有不列入汇编的材料" and panel.proxy.rowCount() == 0
    hooks.editor.put({notice: Exclusion(notice, "李四", "2026-12-07", "")}, "不列入汇编（1 个文件）",
                     put=put_marks)  # what the menu does, without its dialog
    qtbot.waitUntil(lambda: panel.proxy.rowCount() == 1, timeout=TIMEOUT)  # followed without choosing again
    top = panel.proxy.index(0, 0)
    assert [top.data(CODE_ROLE), panel.proxy.index(0, 0, top).data(CODE_ROLE)] == ["1", "1.1"]
    assert panel.count.text().startswith("筛选出 1 项")


def test_enter_on_a_fields_cell_begins_typing_and_on_the_name_opens_the_file(qtbot, window, monkeypatch):
    """After Enter saved a value and moved down, the next Enter (a spreadsheet's way down a column) opened that
    file's viewer. On a field's cell it now begins typing there, as a double click does; on the name it opens."""
    from PySide6.QtWidgets import QApplication, QLineEdit

    import ui.workspace.files_box as files_box

    opened = []
    monkeypatch.setattr(files_box, "open_file", lambda parent, path: opened.append(path))
    table, proxy = window.workspace.detail.table, window.workspace.detail.proxy
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.setCurrentIndex(proxy.mapFromSource(cell(window, "通知.docx", "title")))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text().startswith("关于印发") and opened == []
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)  # the keypad's Enter alike
    assert isinstance(QApplication.focusWidget(), QLineEdit) and opened == []
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(table.hasFocus)
    table.setCurrentIndex(proxy.mapFromSource(cell(window, "通知.docx", "title")).siblingAtColumn(NAME))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert len(opened) == 1 and opened[0].endswith("通知.docx")
    # a photo's field on a document takes no value: Enter opens the file, as on the name (it handed on no path and
    # raised "stat: path should be string … not NoneType")
    table.setCurrentIndex(proxy.mapFromSource(cell(window, "通知.docx", "place")))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert len(opened) == 2 and opened[1].endswith("通知.docx")


def test_cells_are_copied_pasted_and_cleared_as_in_excel(qtbot, window, archive, messages):
    """Ctrl+C, Ctrl+V and Delete did nothing on the table: a place typed once could not be pasted into the other
    photos' cells, nor a column of titles from a spreadsheet. Now as in Excel, each paste one undoable edit."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    hooks, table, proxy = hooks_of(window), window.workspace.detail.table, window.workspace.detail.proxy
    view = {proxy.index(row, NAME).data(): row for row in range(proxy.rowCount())}
    table.setFocus()
    clipboard = QGuiApplication.clipboard()
    table.setCurrentIndex(proxy.mapFromSource(cell(window, "通知.docx", "doc_no")))
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == cell(window, "通知.docx", "doc_no").data() != ""
    table.setCurrentIndex(proxy.mapFromSource(cell(window, "IMG_0001.jpg", "place")))
    table.selectAll()  # one value into every selected file's cell: the document has no 地点, the photos take it
    clipboard.setText("县城中心广场\n")  # as Excel copies one cell: with its line end
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: typed(archive, "place") == {"IMG_0001.jpg": "县城中心广场", "IMG_0002.jpg": "县城中心广场"},
                    timeout=TIMEOUT)
    assert hooks.editor.stack.text(hooks.editor.stack.index() - 1) == "粘贴地点（2 个文件；1 个单元格不能填写，未改动）"
    first = min(view.values())  # a block of lines goes down the column from the current cell, in the table's order
    table.setCurrentIndex(proxy.index(first, column_of("title")))
    clipboard.setText("\r\n".join(f"题名{n}" for n in range(1, 4)))
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    wanted = {name: f"题名{row - first + 1}" for name, row in view.items()}
    qtbot.waitUntil(lambda: typed(archive, "title") == wanted, timeout=TIMEOUT)
    hooks.actions["undo"].trigger()  # the three titles at once
    qtbot.waitUntil(lambda: typed(archive, "title") == {}, timeout=TIMEOUT)
    title = proxy.mapFromSource(cell(window, "通知.docx", "title"))
    table.setCurrentIndex(title)
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    table.selectAll()
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)  # the copied cell stays as read
    read = title.data()
    qtbot.waitUntil(lambda: typed(archive, "title") == {"IMG_0001.jpg": read, "IMG_0002.jpg": read}, timeout=TIMEOUT)
    table.clearSelection()  # the document alone, as a click on its cell selects it
    table.setCurrentIndex(proxy.mapFromSource(cell(window, "通知.docx", "doc_no")))
    qtbot.keyClick(table, Qt.Key.Key_Delete)  # the read 文号 emptied: typed as nothing
    qtbot.waitUntil(lambda: typed(archive, "doc_no") == {"通知.docx": ""}, timeout=TIMEOUT)
    table.setCurrentIndex(proxy.mapFromSource(cell(window, "通知.docx", "date")))
    clipboard.setText("2024-02-30")
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert messages[-1] == ("无法粘贴", "成文日期格式不正确：2024-02-30（应为 YYYY-MM-DD，如 2024-03-05）")
    assert typed(archive, "date") == {}
    table.edit(table.currentIndex())  # in a cell being edited the keys are the editor's own
    editor = QApplication.focusWidget()
    clipboard.setText("2024-03-05")
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.text().endswith("2024-03-05") and typed(archive, "date") == {}


def test_the_caption_view_shows_the_photo_upright_and_saves_when_moving_on(qtbot, window, archive):
    hooks = hooks_of(window)
    photos = [hooks.model.meta(row_of(window, name)) for name in ("IMG_0001.jpg", "IMG_0002.jpg")]
    dialog = CaptionDialog(hooks.editor, photos, 0, window)
    qtbot.addWidget(dialog)
    pixmap = dialog.picture.pixmap()
    assert (pixmap.width(), pixmap.height()) == (60, 80)  # 80×60 as stored, turned by EXIF orientation 6
    assert dialog.edits["time"].text() == "2024-05-20 09:15:00" and "EXIF" in dialog.edits["time"].toolTip()
    assert not dialog.previous_button.isEnabled()
    type_into(dialog.edits["place"], "县实验小学食堂")
    dialog.next_button.click()
    assert dialog.position == 1 and dialog.edits["place"].text() == ""
    qtbot.waitUntil(lambda: typed(archive, "place") == {"IMG_0001.jpg": "县实验小学食堂"}, timeout=TIMEOUT)
    time_edit = dialog.edits["time"]
    assert READ_COLOR.name() in time_edit.styleSheet()  # read from the file: grey, as in the table
    qtbot.keyClicks(time_edit, "9")
    qtbot.keyClick(time_edit, Qt.Key.Key_Backspace)
    assert time_edit.styleSheet() == "" and time_edit.text() == "2023-12-01 10:00:00"  # typed over: black
    type_into(dialog.edits["time"], "昨天")
    dialog.previous_button.click()
    assert dialog.position == 1 and dialog.error.text().startswith("时间中的时刻不正确：10:00:00昨天")


def test_the_excel_import_is_previewed_and_applied_as_one_undoable_edit(qtbot, window, archive, tmp_path, monkeypatch):
    import openpyxl

    target = tmp_path / "目录.xlsx"
    export_catalogue(archive, target)
    book = openpyxl.load_workbook(target)
    sheet = book["文件目录"]
    header = [c.value for c in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, header.index("备注") + 1).value = f"备注{row}"
    book.save(target)
    book.close()
    shown = []
    monkeypatch.setattr(QDialog, "exec", lambda dialog: shown.append(dialog) or QDialog.DialogCode.Accepted)
    hooks = hooks_of(window)
    from archive.metadata.sheetimport import preview_import

    hooks.catalogue.confirm(preview_import(archive, target))
    assert shown[0].table.rowCount() == 3 and shown[0].table.item(0, 2).text() == "备注"
    qtbot.waitUntil(lambda: len(typed(archive, "note")) == 3, timeout=TIMEOUT)
    assert hooks.editor.stack.undoText() == "导入文件目录（3 处改动）"
    # the changed cells may be scrolled out of sight: the status bar says they were written, and undone
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "已保存：导入文件目录（3 处改动）", timeout=TIMEOUT)
    hooks.actions["undo"].trigger()
    qtbot.waitUntil(lambda: typed(archive, "note") == {}, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "已撤销：导入文件目录（3 处改动）", timeout=TIMEOUT)


def test_the_catalogue_is_exported_where_exports_go_and_that_folder_is_remembered(qtbot, window, settings, tmp_path,
                                                                                  monkeypatch):
    """The save box opens in the export folder (not wherever the app was started from), and the folder chosen
    becomes the next export's."""

    settings.export_dir = str(tmp_path)
    chosen = tmp_path / "另存" / "文件目录-全部.xlsx"
    chosen.parent.mkdir()
    asked = []
    monkeypatch.setattr(file_dialogs, "get_save_file_name",
                        lambda parent, title, start, filters: asked.append(start) or (str(chosen), filters))
    hooks_of(window).catalogue.export_scope()
    assert os.path.dirname(asked[0]) == str(tmp_path) and os.path.basename(asked[0]).startswith("文件目录")
    qtbot.waitUntil(chosen.is_file, timeout=TIMEOUT)
    assert settings.export_dir == str(chosen.parent)


def test_the_catalogue_is_exported_for_the_criterion_a_unit_or_the_whole_archive(qtbot, window, archive, settings,
                                                                                  tmp_path, monkeypatch):
    """导出目录… offers the three scopes of the command line's `meta --export` (--code, --unit, neither); each
    writes the files of its scope only."""
    from openpyxl import load_workbook

    root = tmp_path / "其他"
    root.mkdir()
    docx_with(root / "台账.docx", RED_HEADER)
    link(archive, "2.1", [str(root)])
    scan(archive)
    settings.export_dir = str(tmp_path)
    monkeypatch.setattr(file_dialogs, "get_save_file_name", lambda parent, title, start, filters: (start, filters))
    menu = hooks_of(window).catalogue.scope_menu()
    entries = {action.text(): action for action in menu.actions() if action.text()}
    assert list(entries) == ["本项目 1.1（含下级项目）的目录…", "某单位负责项目的目录", "全部档案的目录…"]
    units = entries["某单位负责项目的目录"].menu().actions()
    assert units and all(action.text().endswith("…") for action in units)

    def names_in(path) -> set[str]:
        qtbot.waitUntil(path.is_file, timeout=TIMEOUT)
        book = load_workbook(path, read_only=True)
        try:
            return {row[3] for row in book["文件目录"].iter_rows(min_row=2, values_only=True)}
        finally:
            book.close()

    entries["本项目 1.1（含下级项目）的目录…"].trigger()
    assert names_in(tmp_path / "文件目录-1.1.xlsx") == {"通知.docx", "IMG_0001.jpg", "IMG_0002.jpg"}
    entries["全部档案的目录…"].trigger()
    assert names_in(tmp_path / "文件目录-全部.xlsx") == {"通知.docx", "IMG_0001.jpg", "IMG_0002.jpg", "台账.docx"}
    unit_of_2_1 = window.session.model.criterion("2.1").units[0]
    next(action for action in units if action.text() == f"{unit_of_2_1}…").trigger()
    also_1_1 = unit_of_2_1 in window.session.model.criterion("1.1").units
    assert names_in(tmp_path / f"文件目录-{unit_of_2_1}.xlsx") == {"台账.docx"} | (
        {"通知.docx", "IMG_0001.jpg", "IMG_0002.jpg"} if also_1_1 else set())


def test_the_creation_period_from_the_rules_dialog_marks_files_outside_it(qtbot, window, archive):
    hooks = hooks_of(window)
    assert "未设置" in hooks.summary.text()
    dialog = RulesDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.period.setChecked(True)
    dialog.period.start.setDate(dialog.period.start.date().fromString("2024-04-01", "yyyy-MM-dd"))
    dialog.period.end.setDate(dialog.period.end.date().fromString("2026-06-30", "yyyy-MM-dd"))
    dialog.accept()
    qtbot.waitUntil(lambda: load_period(archive) == ("2024-04-01", "2026-06-30"), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "2 个文件的日期不在创建周期内" in hooks.summary.text(), timeout=TIMEOUT)
    problems = {name: hooks.model.index(row_of(window, name), PROBLEM).data()
                for name in ("通知.docx", "IMG_0001.jpg", "IMG_0002.jpg")}
    assert problems["IMG_0001.jpg"] == ""
    assert problems["IMG_0002.jpg"].startswith("日期不在创建周期内（时间 2023-12-01")
    assert problems["通知.docx"].startswith("日期不在创建周期内（成文日期 2024-03-05")
    assert window.session.model.status("1.1").problems == 2
    hooks.summary.linkActivated.emit("problems")  # 查看有问题的材料: the items holding them, nothing else
    criteria = window.workspace.criteria
    assert window.workspace.tabs.currentWidget() is window.workspace.splitter
    top = criteria.proxy.index(0, 0)
    assert [criteria.proxy.index(row, 0).data(CODE_ROLE) for row in range(criteria.proxy.rowCount())] == ["1"]
    assert [criteria.proxy.index(row, 0, top).data(CODE_ROLE) for row in range(criteria.proxy.rowCount(top))] == ["1.1"]
    assert criteria.state.currentText() == "有问题的材料" and criteria.current_code() == "1.1"
    again = RulesDialog(window.session, window)
    qtbot.addWidget(again)
    assert again.period.isChecked() and again.period.value() == ("2024-04-01", "2026-06-30")
    again.period.end.setDate(again.period.start.date().addDays(-1))
    assert again.period.problem() == "创建周期的开始日期 2024-04-01 晚于结束日期 2024-03-31"


def test_the_undo_button_stays_short_and_its_tooltip_says_what_it_undoes(qtbot, window, archive, monkeypatch):
    """Undoing every field of a fill is a long text: the button under the table stays 撤销 (the row of file commands
    keeps within the panel at 1366x768), its tooltip and context menu entry name the edit."""
    from PySide6.QtWidgets import QToolButton

    hooks = hooks_of(window)
    window.workspace.detail.table.selectAll()

    def fill(dialog: FillDialog) -> int:
        for key in ("title", "doc_no", "issuer", "date", "secret", "note"):
            type_into(dialog.edits[key], "2024-05-20" if key == "date" else "甲")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        return dialog.result()

    monkeypatch.setattr(FillDialog, "exec", fill)
    hooks.fill_selected()
    undo = hooks.actions["undo"]
    qtbot.waitUntil(undo.isEnabled, timeout=TIMEOUT)
    assert len(undo.text()) > 20 and "填写" in undo.text()  # the menu entry names the edit
    button = next(b for b in window.workspace.detail.findChildren(QToolButton) if b.defaultAction() is undo)
    assert button.text() == "撤销" and undo.toolTip() == undo.text().replace("&", "")


def test_the_import_box_offers_excel_wps_and_ods_files_and_previews_an_ods(qtbot, window, archive, settings,
                                                                          tmp_path, monkeypatch):
    import openpyxl
    from metadata_support import write_ods

    exported = tmp_path / "目录.xlsx"
    export_catalogue(archive, exported)
    book = openpyxl.load_workbook(exported)
    rows = [list(row) for row in book["文件目录"].iter_rows(values_only=True)]
    book.close()
    note = rows[0].index("备注")
    for number, row in enumerate(rows[1:], start=2):
        row += [None] * (note + 1 - len(row))
        row[note] = f"备注{number}"
    source = tmp_path / "目录.ods"
    write_ods(source, rows)
    asked, shown = [], []
    settings.export_dir = str(tmp_path)  # the box opens where catalogues were exported to
    monkeypatch.setattr(file_dialogs, "get_open_file_name",
                        lambda parent, title, start, filters: asked.append((start, filters)) or (str(source), filters))
    monkeypatch.setattr(QDialog, "exec", lambda dialog: shown.append(dialog) or QDialog.DialogCode.Rejected)
    hooks_of(window).catalogue.import_()
    qtbot.waitUntil(lambda: bool(shown), timeout=TIMEOUT)
    assert asked[0][0] == str(tmp_path) and asked[0][1].split(";;")[0] == "表格文件 (*.xlsx *.xlsm *.xls *.ods)"
    assert shown[0].table.rowCount() == 3 and shown[0].table.item(0, 4).text() == "备注2"
    assert typed(archive, "note") == {}  # cancelled: nothing written


def test_the_pages_column_shows_an_ofd_s_own_count_and_a_typed_one(qtbot, settings, messages, archive, tmp_path):
    root = tmp_path / "公文"
    root.mkdir()
    ofd_file(root / "电子公文.ofd", RED_HEADER, pages=3)
    docx_with(root / "通知.docx", RED_HEADER)
    link(archive, "1.1", [str(root)])
    scan(archive)
    docx_id = archive.conn.execute("SELECT id FROM files WHERE path LIKE '%.docx'").fetchone()[0]
    set_values(archive, [docx_id], {"pages": 2})  # the clerk counts the printed copy's pages
    window = make_window(qtbot, settings, archive.path)
    window.workspace.criteria.select("1.1")
    model = hooks_of(window).model
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=TIMEOUT)
    pages = {model.index(r, NAME).data(): model.index(r, PAGES).data() for r in range(model.rowCount())}
    assert pages == {"电子公文.ofd": "3", "通知.docx": "2"}
    model.sort(PAGES, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, PAGES).data() for r in range(model.rowCount())] == ["2", "3"]
    model.sort(PAGES, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, PAGES).data() for r in range(model.rowCount())] == ["3", "2"]


def test_the_caption_view_of_a_heic_photo_says_why_its_picture_is_missing(qtbot, settings, messages, archive,
                                                                         tmp_path):
    root = tmp_path / "照片"
    root.mkdir()
    heic_with_exif(root / "IMG_0003.HEIC", taken="2024:05:22 15:30:00")
    link(archive, "1.1", [str(root)])
    scan(archive)
    window = make_window(qtbot, settings, archive.path)
    window.workspace.criteria.select("1.1")
    hooks = hooks_of(window)
    qtbot.waitUntil(lambda: hooks.model.rowCount() == 1, timeout=TIMEOUT)
    dialog = CaptionDialog(hooks.editor, [hooks.model.meta(0)], 0, window)
    qtbot.addWidget(dialog)
    assert dialog.picture.pixmap().isNull()
    assert dialog.picture.text() == "HEIC 格式的照片无法显示\n（可在手机或电脑上另存为 JPEG）"
    assert dialog.edits["time"].text() == "2024-05-22 15:30:00"  # its EXIF, read without the picture


def test_a_folder_of_photos_linked_in_the_app_shows_their_times(qtbot, settings, messages, archive, tmp_path):
    """Linked in the app, with no file watch running: the photos' EXIF times reach the table by the background pass
    (before, only page counts started it, and a folder of photos had none to count)."""
    root = tmp_path / "现场照片"
    root.mkdir()
    jpeg_with_exif(root / "IMG_0001.jpg", taken="2024:05:20 09:15:00")
    window = make_window(qtbot, settings, archive.path)
    assert window.session.monitor is None
    window.workspace.criteria.select("1.1")
    window.session.link("1.1", [str(root)])
    model = hooks_of(window).model
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.index(0, column_of("time")).data() == "2024-05-20 09:15:00",
                    timeout=TIMEOUT)


def test_a_long_screenshots_thumbnail_is_its_top_at_the_boxs_width(qtbot, tmp_path):
    """Whole in the 420-pixel box, a 1000×6000 screenshot was a strip 70 pixels wide: its top is shown instead,
    where a WeChat notice names its sender and subject."""
    from PIL import Image, ImageDraw

    from ui.metadata.caption import thumbnail

    picture = Image.new("RGB", (1000, 6000), "blue")
    ImageDraw.Draw(picture).rectangle((0, 0, 999, 399), fill="red")
    picture.save(tmp_path / "长图.png")
    shown = thumbnail(str(tmp_path / "长图.png")).toImage()
    assert (shown.width(), shown.height()) == (420, 420)
    assert shown.pixelColor(210, 50).red() > 200 and shown.pixelColor(210, 400).blue() > 200
    Image.new("RGB", (1000, 1500), "green").save(tmp_path / "照片.png")
    assert thumbnail(str(tmp_path / "照片.png")).size().toTuple() == (280, 420)  # a photo: whole, as before


def test_a_photos_time_read_from_exif_fits_its_column(window):
    """"2024-06-10 10:15:00" showed as "5-10 …" under 时间."""
    table = window.workspace.detail.table
    shown = cell(window, "IMG_0001.jpg", "time").data()
    margins = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    assert shown == "2024-05-20 09:15:00"
    assert table.fontMetrics().horizontalAdvance(shown) + margins <= table.columnWidth(column_of("time"))
