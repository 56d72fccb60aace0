"""Access letters for every menu entry, so that a clerk can reach each one from the keyboard (Alt+F, then N).

One table for the window's entries and the features' alike, so that no two entries of one menu share a letter
(tests/test_ui_extensions.py checks each menu). Letters follow the English words Chinese office software uses
(新建 N, 打开 O, 导出 E, 关闭 C, 退出 X); the toolbar keeps the plain text.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMenu, QMenuBar

LETTERS = {
    # 文件
    "新建档案…": "N", "打开档案…": "O", "打开任务包…": "T", "最近打开": "R", "打开演示档案": "D", "导出…": "E",
    "导出证明材料包…": "P", "关闭档案": "C", "退出": "X",
    # 档案
    "扫描全部文件": "S", "按文件夹名称自动关联…": "M", "导入修订的评价细则…": "I", "全文检索…": "F", "关联建议…": "G",
    "识别图片文字（OCR）…": "R", "生成单位任务包…": "T", "导入单位材料包…": "U", "暂停文件监控": "P",
    # 视图
    "查找评价项目": "F", "评价项目": "C", "总览": "O",
    # 自评
    "问题整改": "P", "自评报告…": "R", "进度通报…": "B", "整改台账…": "L", "单位任务清单…": "U", "通过规则…": "S",
    # 阶段
    "冻结当前材料…": "F", "阶段对比…": "C", "重建某阶段材料…": "R",
    # 工具
    "设置…": "S",
}


def with_letter(text: str, letter: str) -> str:
    """ "导出…" -> "导出(&E)…": the letter before the ellipsis, as Windows menus print it."""
    if text.endswith("…"):
        return f"{text[:-1]}(&{letter})…"
    return f"{text}(&{letter})"


def give_access_keys(bar: QMenuBar) -> None:
    """Every entry of every menu in `bar` that has no letter yet gets its letter from LETTERS."""
    for top in bar.actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            _give(menu)


def _give(menu: QMenu) -> None:
    for action in menu.actions():
        if action.isSeparator():
            continue
        sub = action.menu()
        text = sub.title() if isinstance(sub, QMenu) else action.text()
        letter = LETTERS.get(text)
        if letter is None or "&" in text:
            continue
        if isinstance(sub, QMenu):
            sub.setTitle(with_letter(text, letter))
        else:
            action.setIconText(text.removesuffix("…"))  # the toolbar shows the words alone, as Qt did before
            action.setText(with_letter(text, letter))
