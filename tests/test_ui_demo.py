"""The demo archive is unmistakable (a strip and 【演示】 in the title), and opening the demo again asks before it
wipes what the clerk tried in it: re-create, open it as it is, or cancel (issue 16 item 10)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from tests.ui_support import make_window, messages_fixture, settings_fixture, wait_for_writes  # noqa: F401
from ui.window import demo_mark

TIMEOUT = 60000


def strips(window) -> list[QLabel]:
    return [w for w in window.findChildren(QLabel, "demo-strip") if w.isVisibleTo(window)]


def state_of(window, code: str) -> str:
    return window.session.model.index_of(code, 1).data()


def test_the_demo_is_marked_and_opening_it_again_asks(qtbot, settings, monkeypatch):
    asked: list[str] = []
    answer = [""]
    monkeypatch.setattr(demo_mark, "ask_about_existing_demo",
                        lambda parent, existing: asked.append(str(existing)) or answer[0])
    window = make_window(qtbot, settings)
    window.demo_action.trigger()
    qtbot.waitUntil(lambda: window.session is not None, timeout=TIMEOUT)
    assert not asked  # nothing to lose the first time
    assert window.windowTitle().startswith("【演示】")
    qtbot.waitUntil(lambda: len(strips(window)) == 1)  # a widget put in a shown layout shows a moment later
    assert "演示档案" in strips(window)[0].text()
    assert state_of(window, "1.1") == "已确认"
    window.session.withdraw("1.1")  # the clerk tries something in the demo
    wait_for_writes(qtbot, window.session)
    assert state_of(window, "1.1") != "已确认"
    session = window.session

    window.demo_action.trigger()  # 取消: nothing happens
    assert len(asked) == 1 and window.session is session

    answer[0] = "open"  # 打开现有的: as the clerk left it
    window.demo_action.trigger()
    qtbot.waitUntil(lambda: window.session is not session, timeout=TIMEOUT)
    assert state_of(window, "1.1") != "已确认"
    qtbot.waitUntil(lambda: len(strips(window)) == 1)

    answer[0] = "fresh"  # 重新生成: the clerk's tries are gone
    session = window.session
    window.demo_action.trigger()
    qtbot.waitUntil(lambda: window.session is not None and window.session is not session, timeout=TIMEOUT)
    assert len(asked) == 3 and state_of(window, "1.1") == "已确认"
    assert window.windowTitle().startswith("【演示】")


def test_an_ordinary_archive_is_not_marked(qtbot, settings, archive):
    window = make_window(qtbot, settings, archive.path)
    assert not strips(window) and not window.windowTitle().startswith("【演示】")


def test_the_demo_open_in_another_window_is_not_made_afresh_under_it(qtbot, settings, monkeypatch, messages):
    monkeypatch.setattr(demo_mark, "ask_about_existing_demo", lambda parent, existing: "fresh")
    first = make_window(qtbot, settings)
    first.demo_action.trigger()
    qtbot.waitUntil(lambda: first.session is not None, timeout=TIMEOUT)
    first.session.withdraw("1.1")  # what the clerk tried in it
    wait_for_writes(qtbot, first.session)
    second = make_window(qtbot, settings)
    second.demo_action.trigger()
    assert messages[-1][0] == "演示档案已打开" and "请先关闭那个窗口" in messages[-1][1]
    assert second.session is None and state_of(first, "1.1") != "已确认"  # the first window's demo is untouched
    first.close_archive()
    second.demo_action.trigger()
    qtbot.waitUntil(lambda: second.session is not None, timeout=TIMEOUT)
    assert state_of(second, "1.1") == "已确认"  # made afresh once nobody had it open
