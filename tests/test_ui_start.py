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
