"""The window on a 1366x768 office laptop (issue 16): nothing out of reach, the evidence table has room, the
window fits the screen and comes back where it was, the splitters remember their place."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QMainWindow,
)

from archive.assignments import assign
from archive.catalogue import store_catalogue
from archive.index.scan import scan
from archive.links import link
from criteria.template import load_template
from tests.ui_support import make_window, messages_fixture, settings_fixture  # noqa: F401 - fixtures
from ui.window.main_window import MainWindow

LAPTOP = (1366, 768)
CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)


def laptop_window(qtbot, settings, archive, evidence):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    scan(archive)
    window = make_window(qtbot, settings, archive.path)
    qtbot.wait(20)  # the first fit to the (800x600 offscreen) screen has run; now the laptop's size
    window.resize(*LAPTOP)
    window.workspace.criteria.select("1.1")
    qtbot.wait(50)
    return window


def test_every_detail_control_is_reachable_at_1366x768(qtbot, settings, archive, evidence):
    window = laptop_window(qtbot, settings, archive, evidence)
    assert window.minimumSizeHint().height() <= 600, window.minimumSizeHint()  # fits even less than 768
    assert (window.width(), window.height()) == LAPTOP
    detail = window.workspace.detail
    scroll = detail.scroll
    controls = [w for w in detail.findChildren(QAbstractButton) + detail.findChildren(QLineEdit)
                + detail.findChildren(QComboBox) + detail.findChildren(QAbstractSpinBox)
                + detail.findChildren(QAbstractItemView) if w.isVisibleTo(detail) and w.parent() is not None]
    names = {type(w).__name__ for w in controls}
    assert {"QPushButton", "QLineEdit", "FrozenColumnTable", "QListWidget"} <= names  # the files: a QTableView
    assert any(b.text() == "确认材料齐全" for b in detail.findChildren(QAbstractButton))
    frame = QRect(QPoint(0, 0), window.size())
    for control in controls:
        if control.window() is not window or not control.isVisibleTo(window):
            continue  # popups (a combo's list) are not part of the panel
        assert scroll.widget().isAncestorOf(control), control
        scroll.ensureWidgetVisible(control, 0, 0)
        QApplication.processEvents()
        top_left = control.mapTo(window, QPoint(0, 0))
        rect = QRect(top_left, control.size())
        visible = rect.intersected(scroll.viewport().rect().translated(scroll.viewport().mapTo(window, QPoint(0, 0))))
        assert not visible.isEmpty(), f"{type(control).__name__} {getattr(control, 'text', lambda: '')()}"
        assert frame.contains(visible), control
    table = detail.table
    assert table.viewport().height() >= 8 * table.verticalHeader().defaultSectionSize()


def test_linking_folders_never_cuts_the_wrapped_texts_above(qtbot, settings, archive, evidence):
    """The list of links grows as folders are linked, under a criterion already shown: the pane above the table
    grows with it. It kept its height before, and 评分标准 lost its second line under the next row."""
    store_catalogue(archive, load_template())  # the built-in rules: 1.3's 评分标准 takes two lines here
    window = laptop_window(qtbot, settings, archive, evidence)
    detail = window.workspace.detail
    window.workspace.criteria.select("1.3")  # no links yet

    def nothing_cut() -> bool:
        QApplication.processEvents()
        return all(label.height() >= label.heightForWidth(label.width()) for label in detail.fields.values())

    qtbot.waitUntil(nothing_cut)
    rule = detail.fields["rule"]
    assert rule.heightForWidth(rule.width()) > rule.fontMetrics().height() * 1.5  # it wraps: the case at hand
    before = detail.links_box.links.height()
    window.session.link("1.3", [str(evidence / "1.2 工作方案"), str(evidence / "2.1 农残治理")])
    qtbot.waitUntil(lambda: detail.links_box.links.height() > before + 10)
    qtbot.wait(50)  # what follows the list's growth: the layouts, the splitter
    assert nothing_cut(), {name: (label.height(), label.heightForWidth(label.width()))
                           for name, label in detail.fields.items()}


def test_the_overview_lists_are_reachable_at_1366x768(qtbot, settings, archive, evidence):
    window = laptop_window(qtbot, settings, archive, evidence)
    window.workspace.show_overview()
    overview = window.workspace.overview
    QApplication.processEvents()
    for tree in (overview.gaps, overview.feed):
        assert tree.height() >= 150  # several rows readable, not squashed to a sliver
    assert window.height() == LAPTOP[1]


def test_first_started_on_a_small_screen_the_window_opens_maximized_then_as_left(qtbot, settings):
    """Offscreen's screen (800x600) is smaller than the default size, as a 1366x768 laptop is."""
    first = MainWindow(settings, monitor=False)
    qtbot.addWidget(first)
    assert first.opens_maximized
    first.show()
    first.close()  # its place is saved
    again = MainWindow(settings, monitor=False)
    qtbot.addWidget(again)
    assert not again.opens_maximized


def test_the_window_never_opens_larger_than_the_screen_and_comes_back(qtbot, settings):
    screen = QApplication.primaryScreen().availableGeometry()
    big = QMainWindow()
    big.setGeometry(screen.right() + 500, screen.bottom() + 500, screen.width() + 600, screen.height() + 400)
    settings.save_window(big.saveGeometry(), big.saveState())  # saved on a bigger monitor, now unplugged
    big.deleteLater()
    window = MainWindow(settings, monitor=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.wait(20)
    assert screen.contains(window.frameGeometry()), (window.frameGeometry(), screen)
    window.resize(window.minimumSizeHint().width() + 10, window.minimumSizeHint().height() + 5)
    window.move(screen.left() + 20, screen.top() + 10)
    window.close()
    again = MainWindow(settings, monitor=False)
    qtbot.addWidget(again)
    again.show()
    qtbot.wait(20)
    assert again.size() == window.size()
    assert again.x() == window.x()  # (offscreen's 800x600 screen is lower than the start screen: y is clamped)


def _drag_handle(qtbot, splitter, dy: int) -> None:
    handle = splitter.handle(1)
    middle = handle.rect().center()
    QTest.mousePress(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, middle)
    QTest.mouseMove(handle, middle + QPoint(0, dy))
    QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, middle + QPoint(0, dy))


def test_the_splitters_remember_their_place(qtbot, settings, archive, evidence):
    window = laptop_window(qtbot, settings, archive, evidence)
    window.resize(LAPTOP[0], 1000)  # a taller screen: room for the handle to move
    detail = window.workspace.detail
    qtbot.waitUntil(lambda: detail.splitter.height() > 600)
    first, _ = detail.splitter.sizes()
    _drag_handle(qtbot, detail.splitter, 60)
    assert detail.splitter.placed_by_clerk and detail.splitter.sizes()[0] > first
    wanted = detail.splitter.sizes()
    window.workspace.criteria.select("1.2")  # another criterion does not move what the clerk placed
    qtbot.wait(20)
    assert detail.splitter.sizes() == wanted
    window.close_archive()
    assert window.open_archive(str(archive.path))
    window.workspace.criteria.select("1.1")
    qtbot.waitUntil(lambda: window.workspace.detail.splitter.sizes() == wanted)


def test_the_table_starts_right_below_the_sections_above_it(qtbot, settings, archive, evidence):
    """No empty band above the evidence table: the sections above take the height their text needs at the width
    they have, for a long 评分标准 and a short one, folded or not, until the clerk drags the handle."""
    window = laptop_window(qtbot, settings, archive, evidence)
    detail = window.workspace.detail
    top = detail.splitter.widget(0)

    def band() -> int:
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # measured on the laid-out panel, not before
        used = detail.links_box.geometry().bottom()
        return top.height() - used

    for code in ("1.1", "2.1", "1.2"):
        window.workspace.criteria.select(code)
        qtbot.waitUntil(lambda: 0 <= band() <= 12, timeout=5000)
    unfolded = detail.links_box.geometry().bottom()
    detail.info_box.set_folded(True)
    qtbot.waitUntil(lambda: detail.links_box.geometry().bottom() < unfolded - 30, timeout=5000)  # the fold is laid out
    qtbot.waitUntil(lambda: 0 <= band() <= 12, timeout=5000)
    detail.info_box.set_folded(False)
    qtbot.waitUntil(lambda: detail.links_box.geometry().bottom() >= unfolded, timeout=5000)
    qtbot.waitUntil(lambda: 0 <= band() <= 12, timeout=5000)
    assert not detail.splitter.placed_by_clerk


def test_the_detail_sections_fold(qtbot, settings, archive, evidence):
    window = laptop_window(qtbot, settings, archive, evidence)
    detail = window.workspace.detail
    detail.info_box.set_folded(True)
    assert not detail.fields["rule"].isVisible()
    detail.info_box.set_folded(False)
    assert detail.fields["rule"].isVisible()


def test_nothing_in_the_detail_panel_is_cut_off_at_its_right_edge_at_1280_pixels(qtbot, settings, archive, evidence):
    """The panel scrolls down, never across: at 1280x800 the splitter gave it less width than its rows of buttons
    need, and 在文件夹中显示, 导入目录 and the item's state at the right were cut off. The list beside it gives way."""
    folder = evidence / "1.1 领导小组"
    (folder / "准入检查记录（空白）.docx").write_bytes(b"")  # two problems: the count line grows by "，2 个有问题"
    (folder / "市场巡查记录.pdf").write_text("不是 PDF", encoding="utf-8")
    assign(archive, "1", due="2026-06-30")  # inherited: the 自查自评 box says "（继承上级）" beside the date
    window = laptop_window(qtbot, settings, archive, evidence)
    for size in ((1280, 800), LAPTOP):
        window.resize(*size)
        window.workspace.criteria.select("1.2")
        window.workspace.criteria.select("1.1")
        qtbot.wait(50)
        detail = window.workspace.detail
        viewport = detail.scroll.viewport()
        assert viewport.width() >= detail.content.minimumSizeHint().width(), size
        for button in detail.content.findChildren(QAbstractButton):
            if button.isVisibleTo(detail.content):
                right = button.mapTo(viewport, QPoint(button.width(), 0)).x()
                assert right <= viewport.width(), (size, button.text(), right, viewport.width())
        assert window.workspace.criteria.width() >= window.workspace.criteria.minimumSizeHint().width()
