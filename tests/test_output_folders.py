"""Output folders are made, not refused (as `git clone` and `pip download -d` do): export, report, package and
unit-export make a missing folder with its parents, from the command line and from the app's dialogs. They refuse,
naming the path, only where a file stands in the way or the place is read-only; nothing is created inside an
evidence folder."""

from __future__ import annotations

import os
import stat
import subprocess
import zipfile

import docx
import pytest
from PySide6.QtCore import Qt

from archive.index.scan import scan
from archive.links import link
from cli.run import run
from common import atomic
from tests.ui_support import make_window, messages_fixture, settings_fixture  # noqa: F401 - fixtures
from ui.departments.task_dialog import TaskPackageDialog
from ui.export import export_dialog as export_module
from ui.export.export_dialog import ExportDialog
from ui.selfeval.report_dialog import ReportDialog

TIMEOUT = 60000


def cli(capsys, *args, expect: int = 0) -> tuple[str, str]:
    code = run([str(a) for a in args])
    out, err = capsys.readouterr()
    assert code == expect, (args, out, err)
    assert "Traceback" not in out + err
    return out, err


@pytest.fixture
def linked(archive, evidence):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    scan(archive)
    return archive


def test_every_output_command_makes_its_missing_folder(linked, tmp_path, capsys):
    archive, new = linked.path, tmp_path / "新建" / "二级" / "三级"
    cli(capsys, "export", archive, "--out", new / "汇编.docx")
    cli(capsys, "export", archive, "--out", new / "pdf" / "汇编.pdf", "--catalogue-only")
    cli(capsys, "export", archive, "--out", new / "zip" / "移交包.zip")
    cli(capsys, "report", archive, "selfcheck", "--out", new / "报告" / "自评.docx")
    cli(capsys, "report", archive, "bulletin", "--out", new / "通报")  # no extension: a folder, one file per unit
    cli(capsys, "report", archive, "tasks", "--out", new / "任务清单" / "")
    cli(capsys, "package", archive, "--all", "--out", new / "任务包")
    cli(capsys, "unit-open", new / "任务包" / "县教育局-任务包.zip", "--dir", tmp_path / "单位")
    unit_archive = next((tmp_path / "单位").glob("*.rrdb"))
    cli(capsys, "unit-export", unit_archive, "--out", new / "材料包" / "材料.zip")
    docx.Document(str(new / "汇编.docx"))
    assert (new / "pdf" / "汇编.pdf").stat().st_size > 0 and zipfile.is_zipfile(new / "zip" / "移交包.zip")
    assert (new / "报告" / "自评.docx").is_file() and zipfile.is_zipfile(new / "材料包" / "材料.zip")
    assert sorted(p.name for p in (new / "通报").iterdir()) == sorted(
        f"{u}进度通报.docx" for u in ("县食安办", "县农业农村局", "县市场监管局", "县教育局"))
    assert len(list((new / "任务清单").glob("*任务清单.docx"))) == 4
    assert len(list((new / "任务包").glob("*-任务包.zip"))) == 4


def test_a_file_in_the_way_is_named_and_nothing_is_made(linked, tmp_path, capsys):
    archive, blocker = linked.path, tmp_path / "备忘.txt"
    blocker.write_text("不是文件夹", encoding="utf-8")
    commands = [("export", archive, "--out", blocker / "子目录" / "汇编.pdf"),
                ("report", archive, "selfcheck", "--out", blocker / "自评.docx"),
                ("report", archive, "tasks", "--out", blocker / "任务清单"),
                ("package", archive, "--all", "--out", blocker),
                ("package", archive, "--all", "--out", blocker / "任务包")]
    for command in commands:
        _, err = cli(capsys, *command, expect=1)
        assert "无法创建输出文件夹" in err and f"{blocker} 是一个文件" in err, (command, err)
    assert blocker.read_text(encoding="utf-8") == "不是文件夹"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["备忘.txt", "证明材料", "测试档案.rrdb",
                                                                 *[p.name for p in tmp_path.glob("测试档案.rrdb-*")]])


def test_no_folder_is_made_inside_an_evidence_folder(linked, evidence, tmp_path, capsys):
    inside = evidence / "1.1 领导小组" / "导出"
    for command in (("export", linked.path, "--out", inside / "汇编.pdf"),
                    ("report", linked.path, "bulletin", "--out", inside),
                    ("package", linked.path, "--all", "--out", inside)):
        _, err = cli(capsys, *command, expect=1)
        assert "证明材料文件夹" in err and not inside.exists(), command


@pytest.fixture
def read_only_place(tmp_path):
    """A folder seen through a read-only bind mount (needs root; skipped otherwise)."""
    source, mount = tmp_path / "源", tmp_path / "只读光盘"
    source.mkdir()
    mount.mkdir()
    for step in (["mount", "--bind", str(source), str(mount)], ["mount", "-o", "remount,bind,ro", str(mount)]):
        if subprocess.run(step, capture_output=True).returncode != 0:
            subprocess.run(["umount", str(mount)], capture_output=True)
            pytest.skip("cannot mount read-only here (needs root)")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_a_read_only_place_is_refused_naming_it(linked, read_only_place, capsys):
    for command in (("export", linked.path, "--out", read_only_place / "新建" / "汇编.docx"),
                    ("export", linked.path, "--out", read_only_place / "汇编.docx"),
                    ("package", linked.path, "--all", "--out", read_only_place / "任务包")):
        _, err = cli(capsys, *command, expect=1)
        assert "只读或没有写入权限" in err and str(read_only_place) in err, (command, err)
    assert list(read_only_place.iterdir()) == []


# -- the app's dialogs ------------------------------------------------------------------------------------------------

def test_the_export_dialog_makes_the_folder(qtbot, settings, messages, linked, tmp_path, monkeypatch):
    window = make_window(qtbot, settings, linked.path)
    dialog = ExportDialog(window.session, window)
    monkeypatch.setattr(export_module, "completion_box", lambda parent, text: messages.append(("导出完成", text)))
    qtbot.addWidget(dialog)
    out = tmp_path / "新文件夹" / "下级" / "汇编.docx"
    dialog.output.setText(str(out))
    dialog.output.setModified(True)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=TIMEOUT)
    assert out.is_file() and messages[-1][0] == "导出完成"


def test_the_export_dialog_names_a_file_in_the_way(qtbot, settings, messages, linked, tmp_path):
    window = make_window(qtbot, settings, linked.path)
    dialog = ExportDialog(window.session, window)
    qtbot.addWidget(dialog)
    (tmp_path / "备忘.txt").write_text("x", encoding="utf-8")
    dialog.output.setText(str(tmp_path / "备忘.txt" / "汇编.docx"))
    dialog.output.setModified(True)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("无法创建输出文件夹" in text for _, text in messages), timeout=TIMEOUT)
    assert dialog.result is None and dialog.export_button.isEnabled()


def test_the_report_dialog_makes_the_folder(qtbot, settings, messages, linked, tmp_path):
    window = make_window(qtbot, settings, linked.path)
    dialog = ReportDialog(window.session, window.workspace.feature("selfeval").scope, window, "tasks")
    dialog.open_folder_when_done = False
    qtbot.addWidget(dialog)
    out = tmp_path / "任务清单" / "二〇二四年"
    dialog.output.setText(str(out))
    dialog.output.setModified(True)
    dialog.make()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=TIMEOUT)
    assert len(list(out.glob("*任务清单.docx"))) == 4


def test_the_task_package_dialog_makes_the_folder_and_names_a_file_in_the_way(qtbot, settings, messages, linked,
                                                                               tmp_path):
    window = make_window(qtbot, settings, linked.path)
    window.packages.reveal_results = False
    dialog = TaskPackageDialog(window.session, window)
    dialog.open_folder_when_done = False
    qtbot.addWidget(dialog)
    (tmp_path / "备忘.txt").write_text("x", encoding="utf-8")
    dialog.all.setChecked(True)
    dialog.folder.setText(str(tmp_path / "备忘.txt"))
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert messages[-1][0] == "生成单位任务包" and f"{tmp_path / '备忘.txt'} 是一个文件" in messages[-1][1]
    out = tmp_path / "任务包" / "第一批"
    dialog.folder.setText(str(out))
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=TIMEOUT)
    assert len(list(out.glob("*-任务包.zip"))) == 4


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_outputs_get_the_usual_file_mode_not_the_temp_files_owner_only(linked, tmp_path, capsys):
    """A dossier in a shared folder is read by others: a new file gets 0666 less the umask (mkstemp's temp file is
    0600), a file written again keeps the mode it had."""
    out = tmp_path / "共享" / "汇编.docx"
    cli(capsys, "export", linked.path, "--out", out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~atomic.UMASK
    os.chmod(out, 0o640)
    cli(capsys, "export", linked.path, "--out", out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
