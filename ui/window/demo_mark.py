"""The demo archive, unmistakable: a strip across the top of the window and 【演示】 in its title; and opening the
demo again asks before it re-creates a demo the clerk may have tried things in."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from ui.common.widgets import ask_choice

DEMO_PREFIX = "【演示】"
STRIP_TEXT = ("<b>演示档案</b>：这里的材料是生成的示例，可以随意关联、确认和导出试用；不要把真实材料放进来。"
              "“打开演示档案”会重新生成它，清除在这里的改动。新建自己的档案：文件 → 新建档案…")


def demo_strip() -> QLabel:
    strip = QLabel(STRIP_TEXT)
    strip.setObjectName("demo-strip")
    strip.setWordWrap(True)
    strip.setStyleSheet("QLabel#demo-strip { background: #fff3e0; color: #e65100; border: 1px solid #ffb74d;"
                        " padding: 4px 8px; }")
    return strip


def ask_about_existing_demo(parent: QWidget, existing: Path) -> str:
    """"fresh" (re-create it), "open" (open it as it is) or "" (cancelled)."""
    role = QMessageBox.ButtonRole
    return ask_choice(parent, QMessageBox.Icon.Question, "打开演示档案",
                      f"已有一份演示档案：\n{existing}\n\n重新生成会清除在其中做过的改动（关联、确认、评分、整改等），"
                      "恢复为初始的示例。要重新生成吗？",
                      [("fresh", "重新生成(&R)", role.DestructiveRole), ("open", "打开现有的(&O)", role.AcceptRole),
                       ("", "取消", role.RejectRole)], default="open")
