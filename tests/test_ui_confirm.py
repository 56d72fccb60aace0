"""Confirming shows what is confirmed (issue 16): a warning on no files and on files with problems, the changes
since the last confirmation, the confirmer's name asked once and remembered; the banner names the changed file and
goes away after re-confirming."""

from __future__ import annotations

from PySide6.QtCore import Qt

from archive.confirm import confirm
from archive.index.scan import scan
from archive.links import link, unlink
from archive.revision import CHANGED_PREFIX
from tests.ui_support import make_window, messages_fixture, settings_fixture, wait_for_writes  # noqa: F401
from ui.workspace.confirm_dialog import ConfirmDialog
from ui.workspace.evidence_model import NAME, PROBLEM


class Answer:
    """ConfirmDialog.exec replaced: records each dialog, lets the test fill it in, then accepts or cancels."""

    def __init__(self, monkeypatch):
        self.dialogs: list[ConfirmDialog] = []
        self.accept = True
        self.fill = None
        answer = self

        def exec_(dialog):
            answer.dialogs.append(dialog)
            if answer.fill is not None:
                answer.fill(dialog)
            return 1 if answer.accept and dialog.ok.isEnabled() else 0

        monkeypatch.setattr(ConfirmDialog, "exec", exec_)


def confirmations(archive, code):
    return archive.conn.execute("SELECT by, note FROM confirmations WHERE code = ? AND withdrawn IS NULL",
                                (code,)).fetchall()


def click_confirm(qtbot, window):
    qtbot.mouseClick(window.workspace.detail.confirm_box.confirm_button, Qt.MouseButton.LeftButton)


def test_no_files_is_warned_and_the_name_is_asked_once(qtbot, settings, archive, monkeypatch):
    answer = Answer(monkeypatch)
    window = make_window(qtbot, settings, archive.path)
    window.workspace.criteria.select("1.2")
    answer.accept = False
    click_confirm(qtbot, window)
    dialog = answer.dialogs[-1]
    assert any("没有任何证明材料" in w for w in dialog.warnings)
    assert dialog.ok.text() == "仍然确认"
    assert dialog.name.text() == "" and not dialog.ok.isEnabled()  # no name yet: it must be given
    wait_for_writes(qtbot, window.session)
    assert confirmations(archive, "1.2") == []  # cancelled: nothing written
    answer.accept = True
    answer.fill = lambda d: (d.name.setText("王五"), d.note.setText("暂无材料，已说明"))
    click_confirm(qtbot, window)
    qtbot.waitUntil(lambda: confirmations(archive, "1.2") == [("王五", "暂无材料，已说明")])
    wait_for_writes(qtbot, window.session)
    assert settings.confirmer == "王五"
    answer.fill = None
    window.workspace.criteria.select("1.1")
    window.workspace.criteria.select("1.2")
    assert window.workspace.detail.confirm_box.note.text() == "暂无材料，已说明"  # the note typed before is kept
    click_confirm(qtbot, window)
    assert answer.dialogs[-1].name.text() == "王五"  # asked once, filled in after (and still editable)
    assert answer.dialogs[-1].note.text() == "暂无材料，已说明"


def test_files_with_problems_are_listed_and_warned(qtbot, settings, archive, evidence, monkeypatch):
    (evidence / "1.1 领导小组" / "空白签到表.docx").write_bytes(b"")
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    scan(archive)
    settings.confirmer = "李四"
    answer = Answer(monkeypatch)
    answer.accept = False
    window = make_window(qtbot, settings, archive.path)
    window.workspace.criteria.select("1.1")
    click_confirm(qtbot, window)
    dialog = answer.dialogs[-1]
    assert any("1 个文件有问题" in w for w in dialog.warnings)
    assert dialog.files.count() == 3
    assert dialog.files.item(0).text().startswith("空白签到表.docx（")  # the problem first, with its reason
    assert dialog.ok.isEnabled() and dialog.name.text() == "李四"


def test_changes_since_the_confirmation_are_shown_and_the_banner_clears(qtbot, settings, archive, evidence,
                                                                         monkeypatch):
    folder = evidence / "1.1 领导小组"
    link(archive, "1.1", [str(folder)])
    scan(archive)
    confirm(archive, "1.1", by="张三", note="逐份核对")  # the changes may fall in its second: told by the log id
    settings.confirmer = "张三"
    answer = Answer(monkeypatch)
    window = make_window(qtbot, settings, archive.path)
    window.workspace.criteria.select("1.1")
    (folder / "会议纪要" / "2024年第一次会议纪要.txt").write_text("改过的纪要", encoding="utf-8")
    (folder / "补充通知.txt").write_text("补充", encoding="utf-8")
    window.session.scan_all()
    banner = window.workspace.banner
    qtbot.waitUntil(banner.isVisible)
    assert "2024年第一次会议纪要.txt" in banner.label.text() and "补充通知.txt" in banner.label.text()
    assert "修改 1 个" in window.workspace.detail.confirm_box.confirmation.text()
    assert problem_column(window) == {  # the table says which, as the 内部版 does
        "关于成立创建工作领导小组的通知.pdf": "", "2024年第一次会议纪要.txt": "确认后有变更",
        "补充通知.txt": "确认后有变更"}
    click_confirm(qtbot, window)
    dialog = answer.dialogs[-1]
    assert "新增 1 个：补充通知.txt" in dialog.changes_text
    assert "修改 1 个：2024年第一次会议纪要.txt" in dialog.changes_text
    assert dialog.note.text() == "逐份核对"
    qtbot.waitUntil(lambda: window.session.model.index_of("1.1", 1).data() == "已确认")
    assert not banner.isVisible()
    qtbot.waitUntil(lambda: not any(problem_column(window).values()))  # confirmed again: nothing to check
    answer.accept = False
    click_confirm(qtbot, window)  # it read "上次确认以来：上次确认以来没有文件变更"
    assert answer.dialogs[-1].since_text == "上次确认以来：没有文件变更"


def test_a_change_no_file_made_is_said_what_it_is(qtbot, settings, archive, evidence, monkeypatch):
    """A folder unlinked after the confirmation changes what it covers, though no file changed (the log says
    nothing of links); a reworded item asks for a new look. Each says so instead of an empty 变更."""
    link(archive, "1.1", [str(evidence / "1.1 领导小组" / "会议纪要"), str(evidence / "1.2 工作方案")])
    link(archive, "1.2", [str(evidence / "1.2 工作方案")])
    scan(archive)
    confirm(archive, "1.1", by="张三")
    confirm(archive, "1.2", by="张三")
    unlink(archive, "1.1", str(evidence / "1.2 工作方案"))
    with archive.atomic():  # as archive.revision marks an item reworded by a revised catalogue
        archive.conn.execute("UPDATE confirmations SET digest = ? || digest WHERE code = '1.2'", (CHANGED_PREFIX,))
    window = make_window(qtbot, settings, archive.path)
    box = window.workspace.detail.confirm_box
    window.workspace.criteria.select("1.1")
    qtbot.waitUntil(lambda: "变更：" in box.confirmation.text())
    assert "变更：文件本身没有改动，但关联的文件夹或文件有增减" in box.confirmation.text()
    answer = Answer(monkeypatch)
    answer.accept = False
    click_confirm(qtbot, window)  # the dialog says the same, not "no file changed"
    assert answer.dialogs[-1].since_text == "上次确认以来：文件本身没有改动，但关联的文件夹或文件有增减"
    window.workspace.criteria.select("1.2")
    qtbot.waitUntil(lambda: "变更：评价细则修订后本项内容有改动" in box.confirmation.text())
    confirm(archive, "1.1", by="张三")  # then the clerk links the folder back in the window: the banner says why
    window.session.refresh()
    qtbot.waitUntil(lambda: window.session.model.index_of("1.1", 1).data() == "已确认")
    window.session.link("1.1", [str(evidence / "1.2 工作方案")])
    banner = window.workspace.banner
    qtbot.waitUntil(banner.isVisible)
    assert "1.1 成立创建工作领导小组</a>（文件本身没有改动，但关联的文件夹或文件有增减）" in banner.label.text()


def problem_column(window) -> dict[str, str]:
    """File name -> the evidence table's 问题 cell, as shown."""
    model = window.workspace.detail.model
    return {model.index(row, NAME).data(): model.index(row, PROBLEM).data() for row in range(model.rowCount())}


def test_files_kept_out_of_the_dossier_are_listed_last_grey_and_not_warned_of(qtbot):
    from PySide6.QtWidgets import QLabel

    from ui.workspace.confirm_dialog import ConfirmDialog
    from ui.workspace.evidence_model import EXCLUDED_COLOR, PROBLEM_COLOR, EvidenceRow

    rows = [EvidenceRow(1, "/材料/草稿.docx", "材料", 10, 1, 1, "空文件", "docx", excluded="不列入汇编（张三）"),
            EvidenceRow(2, "/材料/签到表.pdf", "材料", 10, 1, 1, None, "pdf"),
            EvidenceRow(3, "/材料/通知.pdf", "材料", 10, 1, 1, "无法读取", "pdf")]
    dialog = ConfirmDialog("1.1", "领导小组", rows, None, "李四", "")
    qtbot.addWidget(dialog)
    shown = [dialog.files.item(row) for row in range(dialog.files.count())]
    assert [item.text() for item in shown] == ["通知.pdf（无法读取）", "签到表.pdf",
                                             "草稿.docx（不列入汇编（张三）；空文件）"]
    assert shown[0].foreground().color() == PROBLEM_COLOR and shown[2].foreground().color() == EXCLUDED_COLOR
    assert dialog.warnings == ["注意：有 1 个文件有问题，请先核对："]
    labels = "".join(label.text() for label in dialog.findChildren(QLabel))
    assert "共 3 个文件，其中 1 个有问题，1 个不列入汇编" in labels


def test_a_long_problem_is_wrapped_in_the_list_not_cut_at_its_edge(qtbot):
    """A shortcut's target or a date beside the period made a line wider than the dialog: its end was out of
    sight behind a sideways scroll bar."""
    from ui.workspace.confirm_dialog import problem_first_list
    from ui.workspace.evidence_model import EvidenceRow

    problem = "日期不在创建周期内（成文日期 2024-06-01，创建周期 2024-01-01 至 2024-05-30）"
    rows = [EvidenceRow(1, "/材料/宣传周活动方案.docx", "材料", 10, 1, 1, problem, "docx"),
            EvidenceRow(2, "/材料/签到表.pdf", "材料", 10, 1, 1, None, "pdf")]
    files = problem_first_list(rows)
    qtbot.addWidget(files)
    files.resize(300, 200)
    files.show()
    qtbot.waitExposed(files)
    assert files.horizontalScrollBar().maximum() == 0
    long_line, short_line = (files.visualItemRect(files.item(row)) for row in (0, 1))
    assert long_line.width() <= files.viewport().width() and long_line.height() >= 2 * short_line.height()
