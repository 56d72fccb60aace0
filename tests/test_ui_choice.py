"""ui.common.widgets.ask_choice, the one message box with our own buttons (导出完成, 打开演示档案): each button's
key comes back, Esc gives "", and the default button is the one named."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from ui.common.shell import completion_box
from ui.common.widgets import ask_choice
from ui.window.demo_mark import ask_about_existing_demo


def answer(label: str | None, seen: list) -> None:
    """Once the box shows: note its default button's text, then press the button `label` (None: Esc)."""
    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, press)
            return
        seen.append(box.defaultButton().text())
        if label is None:
            box.reject()
        else:
            next(b for b in box.findChildren(QPushButton) if b.text() == label).click()
    QTimer.singleShot(10, press)


@pytest.mark.parametrize(("label", "key"), [("甲(&A)", "a"), ("乙", "b"), ("取消", ""), (None, "")])
def test_the_clicked_buttons_key_comes_back(qtbot, label, key):
    seen: list = []
    answer(label, seen)
    role = QMessageBox.ButtonRole
    got = ask_choice(None, QMessageBox.Icon.Question, "标题", "要哪一个？",
                     [("a", "甲(&A)", role.AcceptRole), ("b", "乙", role.ActionRole), ("", "取消", role.RejectRole)],
                     default="b")
    assert got == key and seen == ["乙"]


def test_the_export_and_demo_boxes_answer_with_their_keys(qtbot, tmp_path):
    seen: list = []
    answer("打开所在文件夹(&F)", seen)
    assert completion_box(None, "已导出") == "folder" and seen == ["打开文件(&O)"]
    answer("重新生成(&R)", seen)
    assert ask_about_existing_demo(None, tmp_path / "演示.rrdb") == "fresh" and seen[-1] == "打开现有的(&O)"
