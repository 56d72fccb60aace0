"""The main window's commands: its actions (with their keys and icons), the menus the features add to, the toolbar,
and the recent-archives menu. The actions stay attributes of the window (window.scan_action, ...): tests and
features reach them there."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle

from ui.window.access_keys import give_access_keys


def _action(window, text: str, slot, shortcut=None, icon: QStyle.StandardPixmap | None = None,
            tip: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    action.setStatusTip(tip)
    action.triggered.connect(slot)
    return action


def make_actions(window) -> None:
    """The window's own actions, as its attributes."""
    sp, key = QStyle.StandardPixmap, QKeySequence.StandardKey
    window.new_action = _action(window, "新建档案…", window.new_archive, key.New, sp.SP_FileIcon)
    window.open_action = _action(window, "打开档案…", window.choose_archive, key.Open, sp.SP_DialogOpenButton)
    window.demo_action = _action(window, "打开演示档案", lambda: window.open_demo())  # not with triggered(checked)
    window.export_action = _action(window, "导出…", window.export, "Ctrl+E", sp.SP_DialogSaveButton,
                                   "导出目录和材料汇编（Word、PDF 或交接包）")
    window.close_action = _action(window, "关闭档案", window.close_archive_by_hand, key.Close)
    window.quit_action = _action(window, "退出", window.close, key.Quit)
    window.scan_action = _action(window, "扫描全部文件", window.scan, "F5", sp.SP_BrowserReload,
                                 "重新核对所有关联的文件夹")
    window.automap_action = _action(window, "按文件夹名称自动关联…", window.automap, None, sp.SP_DirLinkIcon,
                                    "选择证明材料的总文件夹，按子文件夹名称中的编号关联到评价项目")
    window.import_action = _action(window, "导入修订的评价细则…", window.import_catalogue)
    window.pause_action = _action(window, "暂停文件监控", window.toggle_pause, None, sp.SP_MediaPause)
    window.pause_action.setCheckable(True)
    window.find_action = _action(window, "查找评价项目", window.find, key.Find)
    window.criteria_action = _action(window, "评价项目", lambda: window.workspace.show_criteria(), "Ctrl+1")
    window.overview_action = _action(window, "总览", lambda: window.workspace.show_overview(), "Ctrl+2")
    window.settings_action = _action(window, "设置…", window.edit_settings)
    window.about_action = _action(window, "关于迎检通(&A)", window.about)
    window.guide_action = _action(window, "使用说明(&G)", window.show_guide, key.HelpContents,
                                  tip="日常操作步骤和各状态的含义")


def _entries(window, menu: str, group: str) -> list[QAction]:
    """The actions the features add to one group of one of the window's menus, in the features' order."""
    return [action for feature in window.features for entry in feature.menu_entries()
            if (entry.menu, entry.group) == (menu, group) for action in entry.actions]


def _feature_menus(window, bar) -> None:
    for feature in window.features:
        for found in feature.menus():
            menu = bar.addMenu(found.title)
            for number, group in enumerate(found.groups):
                if number:
                    menu.addSeparator()
                menu.addActions(list(group))


def make_menus(window) -> None:
    """The menu bar (the features' entries and menus in their places, every entry with its access letter) and the
    toolbar."""
    bar = window.menuBar()
    files = bar.addMenu("文件(&F)")
    files.addActions([window.new_action, window.open_action, *_entries(window, "file", "open")])
    window.recent_menu = files.addMenu("最近打开")
    window.recent_menu.aboutToShow.connect(window._fill_recent)
    files.addAction(window.demo_action)
    files.addSeparator()
    files.addActions([window.export_action, *_entries(window, "file", "export")])
    files.addSeparator()
    files.addActions([window.close_action, window.quit_action])
    archive = bar.addMenu("档案(&A)")
    archive.addActions([window.scan_action, window.automap_action, window.import_action,
                        *_entries(window, "archive", "index")])
    archive.addSeparator()
    if packages := _entries(window, "archive", "packages"):
        archive.addActions(packages)
        archive.addSeparator()
    archive.addAction(window.pause_action)
    view = bar.addMenu("视图(&V)")
    view.addActions([window.find_action, window.criteria_action, window.overview_action])
    _feature_menus(window, bar)  # 自评, 阶段
    tools = bar.addMenu("工具(&T)")
    tools.addAction(window.settings_action)
    help_menu = bar.addMenu("帮助(&H)")
    help_menu.addActions([window.guide_action, window.about_action])
    give_access_keys(bar)
    toolbar = window.addToolBar("工具栏")
    toolbar.setObjectName("main-toolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.addActions([window.new_action, window.open_action])
    toolbar.addSeparator()
    toolbar.addActions([window.scan_action, window.automap_action, window.export_action,
                        *_entries(window, "toolbar", "index")])
    toolbar.addSeparator()
    toolbar.addAction(window.pause_action)


def fill_recent(window) -> None:
    """最近打开: the archives opened last, by title and path; (无) when there are none."""
    window.recent_menu.clear()
    for path in window.settings.recent():
        title = window.settings.recent_title(path)
        text = f"{title}（{path}）" if title else path
        window.recent_menu.addAction(text.replace("&", "&&"), lambda p=path: window.open_archive(p))
    if window.recent_menu.isEmpty():
        window.recent_menu.addAction("（无）").setEnabled(False)
