"""Status-bar messages fit beside the bar's widgets: a long one is elided in the middle, whole in the tooltip."""

from __future__ import annotations

from tests.ui_support import make_window, settings_fixture  # noqa: F401 - fixtures
from ui.common.statusline import message_room, show_message, whole_message


def test_a_long_message_keeps_its_start_and_end_and_is_whole_in_the_tooltip(qtbot, settings):
    window = make_window(qtbot, settings)
    bar = window.statusBar()
    long = "已导出：" + "/很长的共享路径/某某县食品安全委员会办公室" * 12 + "/迎检资料汇编（送审版）.docx"
    show_message(bar, long, 8000)
    shown = bar.currentMessage()
    assert shown != long and "…" in shown
    assert shown.startswith("已导出：") and shown.endswith("迎检资料汇编（送审版）.docx")
    assert bar.fontMetrics().horizontalAdvance(shown) <= message_room(bar) < bar.width()
    assert bar.toolTip() == long and whole_message(bar) == long
    bar.clearMessage()  # its time is up
    assert bar.toolTip() == "" and whole_message(bar) == ""
    show_message(bar, "已确认 1.1", 8000)
    assert bar.currentMessage() == "已确认 1.1" and bar.toolTip() == ""
