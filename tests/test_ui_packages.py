"""Department packages in the app, offscreen, on real archives and real zip files: task packages out, a task package
opened as a unit archive and its evidence exported, evidence packages imported with their report, unsafe packages
refused, and archive files refused on network locations."""

from __future__ import annotations

import json
import zipfile

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QPushButton

import archive.netpaths as netpaths
from archive.catalogue import store_catalogue
from archive.links import link
from criteria.model import Catalogue, Criterion
from departments import is_unit_archive, open_task_package, write_task_package
from departments.strays import STRAY_REASON
from tests.conftest import MINIMAL_PDF, mount_point
from tests.package_support import FOLDER, UNIT, db_state, evidence_manifest, evidence_zip, listing, sha
from tests.ui_support import (  # noqa: F401 - fixtures
    make_window,
    messages_fixture,
    settings_fixture,
    wait_for_indexer,
    wait_for_writer,
)
from ui.common import file_dialogs
from ui.departments.import_dialog import ImportPackageDialog, evidence_root, remember_evidence_root
from ui.departments.import_report import ImportReportDialog
from ui.departments.task_dialog import TaskPackageDialog
from ui.departments.unit_side import OpenTaskPackageDialog
from ui.window.new_archive_dialog import NewArchiveDialog
from ui.workspace.evidence_model import PROBLEM

TIMEOUT = 20000


def click(qtbot, button) -> None:
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def office_window(qtbot, settings, archive, monitor: bool = False):
    window = make_window(qtbot, settings, archive.path, monitor=monitor)
    window.packages.reveal_results = False  # no file manager offscreen
    return window


def cifs_mount(monkeypatch, folder) -> None:
    """Make `folder` look like a mounted Windows share (cifs), as /proc/mounts would say."""
    monkeypatch.setattr(netpaths, "read_mounts", lambda: f"//server/share {mount_point(folder)} cifs rw 0 0\n")


# -- task packages --------------------------------------------------------------------------------------------------
def test_task_package_for_the_unit_looked_at(qtbot, settings, archive):
    window = office_window(qtbot, settings, archive)
    window.workspace.unit_filter().setCurrentIndex(window.workspace.unit_filter().findData("县教育局"))
    window.packages.task_packages.trigger()
    assert window.packages.dialog.chosen_units() == ["县教育局"]
    assert "2.2 校园食品安全示范提升行动（牵头）" in window.packages.dialog.contents.text()


def test_task_package_for_one_unit_through_the_dialog(qtbot, settings, messages, archive, tmp_path):
    window = office_window(qtbot, settings, archive)
    assert window.packages.task_packages.isVisible() and not window.packages.export_evidence.isVisible()
    window.packages.task_packages.trigger()
    dialog = window.packages.dialog
    assert isinstance(dialog, TaskPackageDialog)
    assert [dialog.unit.itemData(i) for i in range(dialog.unit.count())] == \
        ["县食安办", "县农业农村局", "县市场监管局", "县教育局"]
    dialog.choose_unit("县市场监管局")
    assert dialog.unit.currentText() == "县市场监管局（牵头 0 项、配合 1 项）"
    assert "2.1.1 农残快检台账（配合）" in dialog.contents.text()
    out = tmp_path / "任务包"
    out.mkdir()
    dialog.folder.setText(str(out))
    click(qtbot, dialog.generate_button)
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=TIMEOUT)
    assert [p.name for p in out.iterdir()] == ["县市场监管局-任务包.zip"]
    with zipfile.ZipFile(out / "县市场监管局-任务包.zip") as zf:
        data = json.loads(zf.read("manifest.json"))
    assert data["unit"] == "县市场监管局"
    assert [(c["code"], c["own"], c["role"]) for c in data["criteria"]] == \
        [("2", False, ""), ("2.1", False, ""), ("2.1.1", True, "配合")]
    assert messages[-1][0] == "任务包已生成" and "县市场监管局-任务包.zip" in messages[-1][1]
    assert settings.export_dir == str(out)


def test_task_packages_for_all_units_replace_older_ones_after_asking(qtbot, settings, messages, archive, tmp_path):
    window = office_window(qtbot, settings, archive)
    (tmp_path / "县教育局-任务包.zip").write_bytes(b"old")
    dialog = TaskPackageDialog(window.session, window)
    dialog.open_folder_when_done = False
    qtbot.addWidget(dialog)
    dialog.all.setChecked(True)
    assert not dialog.unit.isEnabled()
    assert dialog.contents.text().startswith("每个单位一个任务包，共 4 个")
    dialog.folder.setText(str(tmp_path))
    click(qtbot, dialog.generate_button)
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=TIMEOUT)
    assert messages[0] == ("生成单位任务包", f"文件夹 {tmp_path} 中已有 1 个同名任务包：\n县教育局-任务包.zip\n\n"
                                       "用新生成的替换吗？")
    assert sorted(p.name for p in tmp_path.glob("*.zip")) == sorted(
        f"{u}-任务包.zip" for u in ("县食安办", "县农业农村局", "县市场监管局", "县教育局"))
    assert zipfile.is_zipfile(tmp_path / "县教育局-任务包.zip")


def test_task_packages_are_not_written_into_an_evidence_folder(qtbot, settings, messages, archive, evidence):
    from archive.links import link

    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    window = office_window(qtbot, settings, archive)
    dialog = TaskPackageDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(evidence / "1.1 领导小组"))
    click(qtbot, dialog.generate_button)
    refusal = f"不能保存在关联的证明材料文件夹中，请另选位置：{evidence / '1.1 领导小组'}"
    assert messages == [("生成单位任务包", refusal)]
    assert not list((evidence / "1.1 领导小组").glob("*.zip"))


def test_a_catalogue_without_units_explains_why_there_is_nothing_to_make(qtbot, settings, archive):
    store_catalogue(archive, Catalogue("无单位", [Criterion("1", "组织领导", None, 1)], source="test"))
    window = office_window(qtbot, settings, archive)
    dialog = TaskPackageDialog(window.session, window)
    qtbot.addWidget(dialog)
    assert "没有填写牵头或配合单位" in dialog.contents.text()
    assert not dialog.generate_button.isEnabled()


# -- the unit's side --------------------------------------------------------------------------------------------
def test_unit_opens_its_task_package_fills_it_and_exports_evidence(qtbot, settings, messages, monkeypatch, archive,
                                                                   tmp_path):
    task = write_task_package(archive, UNIT, tmp_path / "任务包.zip")
    window = make_window(qtbot, settings)
    window.packages.reveal_results = False
    click(qtbot, window.start.task_button)
    dialog = window.packages.dialog
    assert isinstance(dialog, OpenTaskPackageDialog)
    dialog.package.setText(str(task))
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=TIMEOUT)
    assert dialog.about.text().startswith(f"{UNIT} 的任务包（某某县，")
    assert dialog.about.text().endswith("牵头 2 项、配合 0 项")
    assert dialog.folder.text() == str(tmp_path / f"{UNIT}-迎检材料")
    click(qtbot, dialog.open_button)
    qtbot.waitUntil(lambda: window.session is not None, timeout=TIMEOUT)
    unit_archive = window.session.archive
    assert is_unit_archive(unit_archive)
    assert window.windowTitle() == f"{UNIT}：某某县（单位档案） — 迎检通"
    assert window.packages.role_label.text() == f"单位档案：{UNIT}（牵头 2 项、配合 0 项）"
    assert window.packages.export_evidence.isVisible() and not window.packages.import_evidence.isVisible()
    assert messages[-1][0] == "任务包已打开" and "完成后用“文件 → 导出证明材料包…”" in messages[-1][1]
    assert window.session.model.index_of("2.1", 1).data() == "缺材料"

    (tmp_path / f"{UNIT}-迎检材料" / FOLDER / "实施方案.pdf").write_bytes(MINIMAL_PDF)
    (tmp_path / f"{UNIT}-迎检材料" / FOLDER / "签到表.docx").write_bytes(b"")  # saved before it was filled in
    (tmp_path / f"{UNIT}-迎检材料" / "抽检台账.xlsx").write_bytes(b"ledger")  # beside the item folders
    out = tmp_path / "交回" / "材料包.zip"
    out.parent.mkdir()
    monkeypatch.setattr(file_dialogs, "get_save_file_name", staticmethod(lambda *args, **kwargs: (str(out), "")))
    window.packages.export_evidence.trigger()
    qtbot.waitUntil(lambda: messages[-1][0] == "证明材料包已导出", timeout=TIMEOUT)
    assert messages[-1][1].startswith(f"已导出证明材料包：{out}（2 个文件")
    assert "以下本单位项目还没有材料：\n2.1.1 农残快检台账\n\n" in messages[-1][1]
    assert f"\n\n未放入：\n抽检台账.xlsx：{STRAY_REASON}\n\n" in messages[-1][1]  # where the clerk finds it
    assert f"\n\n已放入，但有问题（处理后可重新导出）：\n{FOLDER}/签到表.docx：空文件（0 字节）\n\n" in messages[-1][1]
    with zipfile.ZipFile(out) as zf:
        data = json.loads(zf.read("manifest.json"))
    assert data["unit"] == UNIT
    assert [(f["code"], f["path"], f["sha256"]) for f in data["files"]] == \
        [("2.1", f"{FOLDER}/实施方案.pdf", sha(MINIMAL_PDF)), ("2.1", f"{FOLDER}/签到表.docx", sha(b""))]
    assert window.session.model.index_of("2.1", 2).data() == "2"  # the export's scan refreshed the tree


def test_a_task_package_opened_as_an_archive_opens_as_a_task_package(qtbot, settings, archive, tmp_path, messages):
    """The app started with the package (opened with it from WeChat's download folder), or 打开档案 on it."""
    task = write_task_package(archive, UNIT, tmp_path / "任务包.zip")
    window = make_window(qtbot, settings)
    assert not window.open_archive(str(task)) and messages == []  # not "不是迎检通档案文件"
    dialog = window.packages.dialog
    assert isinstance(dialog, OpenTaskPackageDialog) and dialog.package.text() == str(task)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=TIMEOUT)
    assert dialog.about.text().startswith(f"{UNIT} 的任务包（某某县，") and dialog.open_button.isEnabled()


def test_open_task_package_refuses_a_network_or_non_empty_folder(qtbot, settings, monkeypatch, archive, tmp_path):
    task = write_task_package(archive, UNIT, tmp_path / "任务包.zip")
    share = tmp_path / "共享"
    cifs_mount(monkeypatch, share)
    dialog = OpenTaskPackageDialog(settings, package=str(task))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=TIMEOUT)
    assert dialog.open_button.isEnabled()  # the suggested folder beside the package is local and new
    dialog.folder.setText(str(share / "单位"))
    assert dialog.problem.text().startswith(f"不能把档案文件建在网络位置（{share / '单位'}，网络文件系统 cifs）")
    assert "多台电脑同时写入会损坏文件" in dialog.problem.text()
    assert not dialog.open_button.isEnabled()
    (tmp_path / "有文件").mkdir()
    (tmp_path / "有文件" / "a.txt").write_text("a", encoding="utf-8")
    dialog.folder.setText(str(tmp_path / "有文件"))
    assert dialog.problem.text().startswith("文件夹不为空")
    assert not dialog.open_button.isEnabled()
    assert not share.exists() and not (tmp_path / f"{UNIT}-迎检材料").exists()  # nothing was unpacked anywhere


def test_open_task_package_explains_a_wrong_file(qtbot, settings, tmp_path):
    evidence_pkg = evidence_zip(tmp_path / "材料包.zip", {f"{FOLDER}/方案.txt": b"v1"})
    dialog = OpenTaskPackageDialog(settings, package=str(evidence_pkg))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "这里需要任务包" in dialog.about.text(), timeout=TIMEOUT)
    assert dialog.about.text() == f"{evidence_pkg} 是证明材料包，这里需要任务包"
    assert not dialog.open_button.isEnabled()


def test_new_archive_dialog_refuses_a_network_location_at_once(qtbot, settings, monkeypatch, tmp_path):
    dialog = NewArchiveDialog(str(tmp_path))
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(lambda: dialog.catalogue is not None, timeout=TIMEOUT)
    dialog.title.setText("某某县")
    assert ok.isEnabled() and dialog.path_problem.isHidden()
    dialog.path.setText("//server/share/某某县.rrdb")
    assert dialog.path_problem.text().startswith("不能把档案文件建在网络位置（")
    assert "网络共享路径" in dialog.path_problem.text() and not dialog.path_problem.isHidden()
    assert not ok.isEnabled()
    cifs_mount(monkeypatch, tmp_path / "网盘")
    dialog.path.setText(str(tmp_path / "网盘" / "某某县.rrdb"))
    assert "网络文件系统 cifs" in dialog.path_problem.text() and not ok.isEnabled()
    dialog.path.setText(str(tmp_path / "某某县.rrdb"))
    assert ok.isEnabled() and dialog.path_problem.isHidden()


# -- the office imports evidence packages --------------------------------------------------------------------------
@pytest.fixture
def root(tmp_path):
    folder = tmp_path / "汇总"
    folder.mkdir()
    return folder


def import_through_dialog(qtbot, window, package, root=None) -> ImportReportDialog:
    """Import `package` under `root` (None: the root the dialog offers, i.e. the remembered one)."""
    window.packages.report_dialog = None
    window.packages.import_evidence.trigger()
    dialog = window.packages.dialog
    assert isinstance(dialog, ImportPackageDialog)
    dialog.package.setText(str(package))
    if root is not None:
        dialog.root.setText(str(root))
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=TIMEOUT)
    click(qtbot, dialog.import_button)
    qtbot.waitUntil(lambda: window.packages.report_dialog is not None, timeout=TIMEOUT)
    return window.packages.report_dialog


def test_import_through_the_dialog_links_files_and_reports(qtbot, settings, messages, archive, root, tmp_path):
    files = {f"{FOLDER}/方案.txt": "第一版".encode(), f"{FOLDER}/2.1.1 农残快检台账/台账.csv": b"a,b\n",
             f"{FOLDER}/其他.txt": b"x"}
    data = evidence_manifest(files)
    data["files"][2]["code"] = "9.9"  # not in the office's catalogue: fails alone
    package = evidence_zip(tmp_path / "材料包.zip", files, manifest=data)
    window = office_window(qtbot, settings, archive)
    report_dialog = import_through_dialog(qtbot, window, package, root)
    assert report_dialog.groups() == {"失败（1）": 1, "新增（2）": 2, "新建关联（1）": 1}
    failed = report_dialog.tree.topLevelItem(0).child(0)
    assert (failed.text(0), failed.text(1)) == (f"{FOLDER}/其他.txt", "档案的评价目录中没有编号 9.9")
    unit_dir = root / UNIT
    assert (unit_dir / FOLDER / "方案.txt").read_bytes() == "第一版".encode()
    assert archive.conn.execute("SELECT code, path FROM links").fetchall() == [("2.1", str(unit_dir / FOLDER))]
    assert window.session.model.index_of("2.1", 2).data() == "2"  # the tree was refreshed
    assert evidence_root(settings, str(archive.path)) == str(root)  # remembered for the next import
    click(qtbot, report_dialog.copy_button)
    copied = QApplication.clipboard().text()
    assert copied.startswith(f"{UNIT}：新增 2 个文件，更新 0 个（旧版保留），0 个无变化，1 个失败，新建 1 个关联")
    assert f"失败：{FOLDER}/其他.txt：档案的评价目录中没有编号 9.9" in copied

    files[f"{FOLDER}/方案.txt"] = "第二版".encode()  # the unit sends a revised plan
    data = evidence_manifest(files)
    data["files"][2]["code"] = "9.9"
    again = evidence_zip(tmp_path / "材料包2.zip", files, manifest=data)
    report_dialog = import_through_dialog(qtbot, window, again)  # into the root offered: the remembered one
    assert report_dialog.groups() == {"失败（1）": 1, "更新（旧版保留）（1）": 1, "无变化（1）": 1}
    changed = report_dialog.tree.topLevelItem(1).child(0)
    assert changed.text(0) == f"{FOLDER}/方案.txt" and changed.text(1).startswith("旧版另存为 方案（旧版 ")
    assert (unit_dir / FOLDER / "方案.txt").read_bytes() == "第二版".encode()
    older = unit_dir / FOLDER / changed.text(1).removeprefix("旧版另存为 ")
    assert older.read_bytes() == "第一版".encode()


def test_the_root_offered_is_this_archives_own_or_where_its_units_folders_are(qtbot, settings, archive, root,
                                                                               tmp_path):
    from archive.db import create_archive
    from archive.links import link
    from conftest import small_catalogue

    (root / UNIT / FOLDER).mkdir(parents=True)
    link(archive, "2.1", [root / UNIT / FOLDER])
    window = office_window(qtbot, settings, archive)
    window.packages.import_evidence.trigger()
    assert window.packages.dialog.root.text() == str(root)  # guessed from the links: no import into it yet
    window.packages.dialog.reject()
    other = create_archive(tmp_path / "演示档案.rrdb", "示例县")  # another archive, e.g. the demo
    store_catalogue(other, small_catalogue())
    other.close()
    demo_root = tmp_path / "演示材料"
    demo_root.mkdir()
    remember_evidence_root(settings, str(other.path), str(demo_root))  # where the last import into it went
    window.packages.import_evidence.trigger()
    assert window.packages.dialog.root.text() == str(root)  # not the other archive's root
    window.packages.dialog.reject()
    assert window.open_archive(str(other.path))
    window.packages.import_evidence.trigger()
    assert window.packages.dialog.root.text() == str(demo_root)


def test_the_report_says_what_became_of_the_units_file_information(qtbot, settings, messages, archive, root, tmp_path):
    files = {f"{FOLDER}/方案.txt": "方案".encode(), f"{FOLDER}/通知.txt": "通知".encode()}
    data = evidence_manifest(files)
    data["files"][0]["meta"] = {"title": "农残快检实施方案"}
    data["files"][1]["meta"] = {"date": "2024-13-05"}  # hand-edited: no such month
    package = evidence_zip(tmp_path / "材料包.zip", files, manifest=data)
    window = office_window(qtbot, settings, archive)
    report_dialog = import_through_dialog(qtbot, window, package, root)
    assert report_dialog.groups() == {"文件信息未写入（1）": 1, "新增（2）": 2, "新建关联（1）": 1}
    assert report_dialog.meta_label.text() == ("1 个文件带有单位填写的文件信息（题名、事由等），已写入；1 项未写入："
                                               f"{FOLDER}/通知.txt 的成文日期“2024-13-05”")
    assert not report_dialog.meta_label.isHidden()
    skipped = report_dialog.tree.topLevelItem(0).child(0)
    assert (skipped.text(0), skipped.text(1)) == (
        f"{FOLDER}/通知.txt", "成文日期“2024-13-05”：成文日期格式不正确：2024-13-05（应为 YYYY-MM-DD，如 2024-03-05）")
    typed = archive.conn.execute("SELECT f.path, t.field, t.value FROM meta_typed t JOIN files f ON f.id = t.file_id")
    assert typed.fetchall() == [(str(root / UNIT / FOLDER / "方案.txt"), "title", "农残快检实施方案")]


def test_conflict_copies_in_an_import_show_as_problems_in_the_evidence_table(qtbot, settings, archive, root,
                                                                            tmp_path):
    files = {f"{FOLDER}/方案.txt": b"v1", f"{FOLDER}/方案 (冲突副本 2024-05-01 093000).txt": b"v2"}
    package = evidence_zip(tmp_path / "材料包.zip", files)
    window = office_window(qtbot, settings, archive)
    import_through_dialog(qtbot, window, package, root).close()
    window.workspace.criteria.select("2.1")
    detail = window.workspace.detail
    problems = {detail.proxy.index(r, 0).data(): detail.proxy.index(r, PROBLEM).data()
                for r in range(detail.proxy.rowCount())}
    assert problems == {"方案.txt": "",
                        "方案 (冲突副本 2024-05-01 093000).txt": "疑似同步冲突副本（原文件：方案.txt）"}
    assert detail.summary.text().endswith("1 个有问题")


def test_an_unsafe_package_is_refused_and_nothing_changes(qtbot, settings, messages, archive, root, tmp_path):
    window = office_window(qtbot, settings, archive)
    wait_for_indexer(qtbot, window)  # what the window writes on its own (the text index's tables) is written now
    escaping = evidence_zip(tmp_path / "逃逸.zip", {f"{FOLDER}/方案.txt": b"v1"}, extra=[("../逃逸.txt", b"x")])
    window.packages.import_evidence.trigger()
    dialog = window.packages.dialog
    dialog.root.setText(str(root))
    dialog.package.setText(str(escaping))
    qtbot.waitUntil(lambda: "不安全" in dialog.about.text(), timeout=TIMEOUT)
    assert not dialog.import_button.isEnabled()  # refused while choosing, before any import
    dialog.reject()

    unlisted = evidence_zip(tmp_path / "夹带.zip", {f"{FOLDER}/方案.txt": b"v1"},
                            extra=[(f"{FOLDER}/未列出.exe", b"MZ")])
    before = db_state(archive)
    window.packages.import_evidence.trigger()
    dialog = window.packages.dialog
    dialog.package.setText(str(unlisted))
    dialog.root.setText(str(root))
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=TIMEOUT)  # the manifest alone looks fine
    click(qtbot, dialog.import_button)
    qtbot.waitUntil(lambda: bool(messages), timeout=TIMEOUT)
    wait_for_writer(qtbot)
    assert messages == [("导入单位材料包失败",
                         f"证明材料包 {unlisted} 不安全，未导入任何内容：条目“{FOLDER}/未列出.exe”不在清单中")]
    assert window.packages.report_dialog is None
    assert listing(root) == [] and not (tmp_path / "逃逸.txt").exists()
    assert db_state(archive) == before


def test_import_pauses_the_monitor_and_it_watches_the_new_folder_after(qtbot, settings, archive, root, tmp_path):
    settings.quiet_period = 0.2
    window = office_window(qtbot, settings, archive, monitor=True)
    qtbot.waitUntil(lambda: window.monitor_label.text().startswith("监控中"), timeout=TIMEOUT)
    package = evidence_zip(tmp_path / "材料包.zip", {f"{FOLDER}/方案.txt": b"v1"})
    import_through_dialog(qtbot, window, package, root).close()
    assert window.session.model.index_of("2.1", 2).data() == "1"
    qtbot.waitUntil(lambda: window.monitor_label.text() == "监控中", timeout=TIMEOUT)
    (root / UNIT / FOLDER / "补充.txt").write_text("补充", encoding="utf-8")  # the monitor now covers the import
    qtbot.waitUntil(lambda: window.session.model.index_of("2.1", 2).data() == "2", timeout=TIMEOUT)


def test_opening_a_task_package_asks_before_closing_the_open_archive(qtbot, settings, messages, monkeypatch, archive,
                                                                     tmp_path):
    task = write_task_package(archive, UNIT, tmp_path / "任务包.zip")
    window = office_window(qtbot, settings, archive)
    session = window.session
    answers = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda parent, title, text, *a, **k: messages.append((title, text)) or answers[0]))
    window.packages.open_task.trigger()
    assert messages[-1][0] == "打开任务包" and "某某县" in messages[-1][1]  # named, and asked
    assert window.session is session and window.packages.dialog is None  # 否: nothing closed, nothing opened
    answers[0] = QMessageBox.StandardButton.Yes
    window.packages.open_task.trigger()
    assert window.session is None and window.stack.currentWidget() is window.start  # closed cleanly, first
    dialog = window.packages.dialog
    assert isinstance(dialog, OpenTaskPackageDialog)
    dialog.package.setText(str(task))
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=TIMEOUT)
    click(qtbot, dialog.open_button)
    qtbot.waitUntil(lambda: window.session is not None, timeout=TIMEOUT)
    assert is_unit_archive(window.session.archive)
    assert str(archive.path) in window.settings.recent()  # the office archive is one click away


def test_the_root_chooser_opens_where_the_evidence_lies(qtbot, settings, archive, evidence, monkeypatch):
    """No root remembered yet: the chooser opened in the folder the app was started from."""
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    window = office_window(qtbot, settings, archive)
    window.packages.import_evidence.trigger()
    dialog = window.packages.dialog
    asked = []
    monkeypatch.setattr(file_dialogs, "get_existing_directory", lambda parent, title, start: asked.append(start) or "")
    assert dialog.root.text() == ""
    browse = [b for b in dialog.findChildren(QPushButton) if b.text() == "浏览…"]  # the package's, the root's
    browse[1].click()
    assert asked == [str(evidence)]


def test_the_unit_window_names_files_left_beside_the_item_folders_before_the_export(qtbot, settings, archive,
                                                                                      tmp_path):
    """A ledger dropped in the package folder's root was first named by the export; the monitor watches the item
    folders only, so the window looks again when it comes back to the front."""
    task = write_task_package(archive, UNIT, tmp_path / "任务包.zip")
    folder = tmp_path / "单位"
    window = make_window(qtbot, settings, open_task_package(task, folder))
    notice = window.packages.strays.label
    assert notice.isHidden()
    (folder / FOLDER / "方案.pdf").write_bytes(MINIMAL_PDF)  # in an item folder: evidence, nothing to say
    (folder / "抽检台账.xlsx").write_bytes(b"ledger")
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))  # back from Explorer
    assert not notice.isHidden() and notice.text() == "1 个文件不在评价项目的文件夹中"
    assert "\n抽检台账.xlsx\n" in notice.toolTip() and "方案.pdf" not in notice.toolTip()
    (folder / "抽检台账.xlsx").rename(folder / FOLDER / "抽检台账.xlsx")  # moved where it belongs
    window.session.scan_all()  # the refresh after it looks again
    qtbot.waitUntil(notice.isHidden, timeout=TIMEOUT)
