"""The start screen and the recent menu show archive titles, not only file names (issue 16)."""

from __future__ import annotations

from tests.ui_support import make_window, settings_fixture  # noqa: F401 - fixtures


def test_recent_archives_show_their_titles(qtbot, settings, archive):
    window = make_window(qtbot, settings, archive.path)
    title = window.session.archive.title
    assert title
    window.close_archive()
    first = window.start.recent.item(0).text().splitlines()[0]
    assert first == f"{title}（{archive.path.name}）"
    window._fill_recent()
    assert window.recent_menu.actions()[0].text().startswith(title)


def test_choosing_import_shows_no_error_before_a_file_is_chosen(qtbot, tmp_path):
    from ui.window.new_archive_dialog import NewArchiveDialog

    dialog = NewArchiveDialog(str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.file_choice.setChecked(True)
    summary = dialog.preview.summary
    assert "选择" in summary.text() and "无法使用" not in summary.text()
    assert "c62828" not in summary.styleSheet()  # not red


def test_f1_shows_the_chinese_guide(qtbot, settings):
    window = make_window(qtbot, settings)
    assert window.guide_action.shortcut().toString() == "F1"
    window.guide_action.trigger()
    text = window.guide.browser.toPlainText()
    assert window.guide.isVisible()
    for words in ("一天的工作", "确认后有变更", "无法访问", "重新定位"):
        assert words in text


def test_the_guide_shows_the_app_in_pictures_and_each_opens_full_size(qtbot, settings):
    import re

    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    from ui.window.guide import GUIDE, PICTURE_WIDTH, PICTURES

    window = make_window(qtbot, settings)
    window.guide_action.trigger()
    guide = window.guide
    names = re.findall(r'<img src="([^"]+)"', GUIDE.read_text(encoding="utf-8"))
    assert {"start.png", "overview.png", "main.png", "confirm.png", "export.png"} <= set(names)
    for name in names:
        assert (PICTURES / name).is_file(), name
        shown = guide.browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert shown is not None and shown.width() == min(PICTURE_WIDTH, guide.pictures[name].width()), name
    main = guide.pictures["main.png"]
    assert (main.width(), main.height()) == (1366, 768)  # the window as on a 1366x768 laptop
    guide.browser.anchorClicked.emit(QUrl("full:main.png"))
    assert guide.viewer is not None and guide.viewer.isVisible()
    assert "main.png" in guide.viewer.windowTitle()
    assert guide.width() <= window.screen().availableGeometry().width()


def _started(qtbot, settings, argv=()):
    """A new window as `main.py` starts one with these arguments."""
    from ui.app import open_at_start, parse_arguments

    window = make_window(qtbot, settings)
    open_at_start(window, settings, parse_arguments(list(argv)))
    return window


def test_the_archive_open_at_quit_opens_at_the_next_start(qtbot, settings, archive, tmp_path):
    first = make_window(qtbot, settings, archive.path)
    first.close()  # quit with the archive open
    again = _started(qtbot, settings)
    assert again.session is not None and again.session.archive.path == archive.path
    assert again.stack.currentWidget() is again.workspace
    again.close_action.trigger()  # 关闭档案: she chose the start screen
    again.close()
    assert _started(qtbot, settings).session is None  # and finds it again


def test_a_start_with_a_named_archive_or_a_vanished_one(qtbot, settings, archive, tmp_path):
    from archive.db import create_archive

    other = create_archive(tmp_path / "另一个档案.rrdb", "另一县")
    other.close()
    make_window(qtbot, settings, archive.path).close()
    named = _started(qtbot, settings, [str(other.path)])
    assert named.session.archive.path == other.path  # the command line wins
    named.close()
    other.path.unlink()  # the archive left open is gone: the start screen, no error
    window = _started(qtbot, settings)
    assert window.session is None and window.stack.currentWidget() is window.start


def test_the_criterion_last_selected_is_selected_again(qtbot, settings, archive):
    window = make_window(qtbot, settings, archive.path)
    assert window.workspace.current_code() is None  # never opened before: nothing chosen for her
    window.workspace.criteria.select("2.1")
    window.close()
    again = _started(qtbot, settings)
    assert again.workspace.current_code() == "2.1"
    assert again.workspace.detail.heading.text().startswith("（一） [2.1]")
    with archive.atomic():  # the item is gone (a revised table): nothing selected, no error
        archive.conn.execute("UPDATE criteria SET retired = 1 WHERE code = '2.1'")
    again.close()
    assert _started(qtbot, settings).workspace.current_code() is None


def test_the_demo_in_the_recent_list_says_what_it_is_not_where(qtbot, settings, tmp_path):
    """The demo lives in the user's data folder: its path (AppData\\Roaming\\ReviewReady\\demo) told the clerk nothing
    and showed a temp path in the guide's picture; its tooltip keeps it."""
    from archive.db import create_archive
    from archive.demo import MARKER
    from ui.window.start_screen import DEMO_WHERE

    folder = tmp_path / "数据" / "demo"
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("", encoding="utf-8")
    demo = create_archive(folder / "演示档案.rrdb", "示例县")
    demo.close()
    own = create_archive(tmp_path / "某县档案.rrdb", "某县")
    own.close()
    settings.add_recent(own.path, "某县")
    settings.add_recent(demo.path, "示例县")
    window = make_window(qtbot, settings)
    lines = [window.start.recent.item(row).text().splitlines() for row in range(window.start.recent.count())]
    assert lines == [["示例县（演示档案.rrdb）", DEMO_WHERE], ["某县（某县档案.rrdb）", str(tmp_path)]]
    assert window.start.recent.item(0).toolTip() == str(demo.path)
