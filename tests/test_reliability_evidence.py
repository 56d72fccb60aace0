"""Issue 8, item 4: the evidence is never written. Every command of the command-line contract runs over a real tree
(Office files that LibreOffice converts, a PDF, photos, junk, a unit's returned package), and after each one every
path under every linked root is proven unchanged: the same listing (hidden names included), and for each file the
same bytes, size, mtime and ctime, for each folder the same mtime and ctime (a file created and deleted again
would change them). The commands run in-process through cli.run.run, `watch` and `self-check` as processes.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from reliability_support import MAIN, REPO, Running, docx_bytes, pdf_bytes, png_bytes, xlsx_bytes

from cli.run import COMMANDS, run
from conftest import small_catalogue
from criteria.yamlio import save_yaml

# The commands this test runs; a command added to the contract later must be added here too.
COVERED = {"new", "criteria", "link", "unlink", "automap", "scan", "status", "confirm", "watch", "log", "export",
           "self-check", "package", "import", "unit-open", "unit-export",
           "score", "unit", "problem", "report", "selfeval", "rules",  # issue 7: self-evaluation and rectification
           "meta",  # issue 17: evidence metadata
           "texts", "search", "suggest",  # issue 20: full-text search and link suggestions
           "stage",  # issue 21: stages (the copy store reads evidence only)
           "exclude"}  # files kept out of the dossier: a mark in the archive, never on the file


def snapshot(roots: list[Path]) -> dict[str, tuple]:
    """Every path under the roots (and each root itself) with what a write would change."""
    found: dict[str, tuple] = {}

    def record(path: str) -> None:
        st = os.lstat(path)
        if os.path.islink(path):
            found[path] = ("link", os.readlink(path), st.st_ctime_ns)
        elif os.path.isdir(path):
            found[path] = ("dir", st.st_mtime_ns, st.st_ctime_ns, st.st_mode)
        else:
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
            found[path] = ("file", digest, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode)

    for root in roots:
        record(str(root))
        for folder, dirs, files in os.walk(root):
            for name in dirs + files:
                record(os.path.join(folder, name))
    return found


def linked_roots(*archives: Path) -> list[Path]:
    roots = []
    for path in archives:
        if path.exists():
            conn = sqlite3.connect(path)
            try:
                roots += [Path(row[0]) for row in conn.execute("SELECT path FROM links")]
            finally:
                conn.close()
    return roots


@pytest.fixture
def tree(tmp_path, evidence) -> Path:
    """conftest's tree plus what makes commands read harder: Office files, a photo, a PDF, a symlink, junk."""
    (evidence / "1.1 领导小组" / "领导小组名单.docx").write_bytes(docx_bytes())
    (evidence / "1.2 工作方案" / "任务分解表.xlsx").write_bytes(xlsx_bytes())
    (evidence / "1.2 工作方案" / "现场照片.png").write_bytes(png_bytes())
    (evidence / "2.2 校园食品" / "食堂检查").mkdir(parents=True)
    (evidence / "2.2 校园食品" / "食堂检查" / "检查记录.pdf").write_bytes(pdf_bytes(2))
    (evidence / "2.2 校园食品" / ".~lock.检查记录.docx#").write_bytes(b"lock")
    os.symlink("食堂检查", evidence / "2.2 校园食品" / "快捷方式")
    return evidence


@pytest.mark.cjk_font
@pytest.mark.slow
def test_every_command_of_the_contract_leaves_the_evidence_untouched(tmp_path, tree, capsys):
    office, unit_db = tmp_path / "县档案.rrdb", tmp_path / "单位档案.rrdb"
    out = tmp_path / "输出"
    out.mkdir()
    ran: set[str] = set()

    def cli(*args, expect: int = 0) -> str:
        argv = [str(a) for a in args]
        roots = [tree, *linked_roots(office, unit_db)]
        before = snapshot(roots)
        code = run(argv)
        captured = capsys.readouterr()
        assert code == expect, (argv, captured.out[-2000:], captured.err[-2000:])
        assert snapshot(roots) == before, f"the evidence changed after: {' '.join(argv)}"
        ran.add(argv[0])
        return captured.out

    criteria_file = tmp_path / "评价细则.yaml"
    save_yaml(small_catalogue(), criteria_file)
    cli("new", office, "--criteria", criteria_file, "--title", "某某县")
    cli("criteria", office, "--json")
    cli("criteria", office, "--export", out / "目录.yaml")
    cli("criteria", office, "--import", out / "目录.yaml")
    cli("link", office, "1.1", tree / "1.1 领导小组")
    cli("link", office, "1.2", tree / "1.2 工作方案" / "创建工作方案.txt")
    cli("automap", office, tree)
    cli("link", office, "2.2", tree / "2.2 校园食品")
    assert json.loads(cli("scan", office, "--json"))["added"] >= 8
    cli("scan", office)
    cli("status", office, "--json")
    cli("status", office)
    cli("texts", office, "--json")
    cli("search", office, "会议纪要", "--json")
    cli("search", office, "纪要", "--code", "1", "--unit", "县食安办")
    cli("suggest", office, "--root", tree, "--json")
    cli("confirm", office, "1.1", "--by", "张三", "--note", "已核对")
    cli("meta", office, tree / "1.1 领导小组" / "领导小组名单.docx", "--title", "创建工作领导小组名单", "--json")
    cli("meta", office, tree / "1.2 工作方案", "--place", "县市场监管局会议室")
    cli("meta", office, "--export", out / "文件目录.xlsx", "--code", "1")
    cli("meta", office, "--import", out / "文件目录.xlsx", "--preview")
    cli("exclude", office, tree / "1.2 工作方案", "--reason", "草稿")
    cli("exclude", office, "--list", "--json")
    cli("rules", office, "--period", "2024-01-01", "2026-06-30")
    cli("log", office)
    cli("log", office, "--json", "--code", "1.1", "--since", "2000-01-01")
    for name in ("汇编.docx", "汇编.pdf", "移交包.zip"):  # the PDF converts the Office files with LibreOffice
        cli("export", office, "--out", out / name, "--stage", "自查自评", "--since", "2000-01-01")
    cli("export", office, "--out", out / "目录.pdf", "--catalogue-only", "--codes", "1,2")
    cli("confirm", office, "1.1", "--undo")
    cli("score", office, "1.1", "4", "--note", "扣1分", "--by", "李四")
    cli("unit", office, "1.1", "--lead", "县食安办", "--due", "2030-06-30")
    cli("problem", office, "add", "1.1", "会议纪要缺签字", "--unit", "县食安办", "--due", "2030-06-30")
    cli("problem", office, "list", "--json")
    cli("problem", office, "link", "1", tree / "1.1 领导小组" / "领导小组名单.docx")
    cli("problem", office, "set", "1", "fixed", "--note", "已补签")
    cli("problem", office, "edit", "1", "--text", "会议纪要缺签字页")
    cli("problem", office, "unlink", "1", tree / "1.1 领导小组" / "领导小组名单.docx")
    cli("problem", office, "delete", "1")
    cli("selfeval", office, "--json")
    cli("rules", office, "--total", "90")
    cli("rules", office, "--reset")
    for kind, target in (("selfcheck", "自评报告.docx"), ("bulletin", "通报.pdf"), ("ledger", "台账.xlsx"),
                         ("tasks", "任务清单")):
        if "." not in target:
            (out / target).mkdir()  # one file per unit into a folder
        cli("report", office, kind, "--out", out / target)
    cli("stage", office, "freeze", "自查自评", "--keep-copies", "--dossier", out / "汇编.docx")
    cli("stage", office, "list", "--json")
    cli("stage", office, "diff", "自查自评", "--json")
    cli("stage", office, "diff", "自查自评", "--out", out / "对照.xlsx")
    for name in ("重建.pdf", "重建.zip"):
        cli("stage", office, "rebuild", "自查自评", "--out", out / name)

    # the departments' round trip: task package out, the unit's evidence back in
    (out / "任务包").mkdir()
    cli("package", office, "--all", "--out", out / "任务包")
    [task] = (out / "任务包").glob("*农业农村局*.zip")
    unit_dir = tmp_path / "农业农村局材料"
    cli("unit-open", task, "--dir", unit_dir, "--archive", unit_db)
    for folder in linked_roots(unit_db):  # the unit's clerk puts the evidence in
        (folder / "快检台账.pdf").write_bytes(pdf_bytes(1))
    cli("unit-export", unit_db, "--out", out / "材料包.zip", "--json")
    (tmp_path / "汇总").mkdir()
    imported = json.loads(cli("import", office, out / "材料包.zip", "--root", tmp_path / "汇总", "--json"))
    assert imported["added"], imported  # written into 汇总/<单位> only; from now on a linked root like the others
    cli("scan", office, "--json")
    cli("unlink", office, "1.1", tree / "1.1 领导小组")
    cli("status", office)

    roots = [tree, *linked_roots(office, unit_db)]
    before = snapshot(roots)
    with Running("watch", office, "--quiet-period", "0.2") as watch:
        watch.wait_line("开始实时监控")
        assert watch.stop(signal.SIGTERM) == 0
    checked = subprocess.run([sys.executable, MAIN, "self-check"], capture_output=True, text=True, cwd=REPO,
                             timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert snapshot(roots) == before, "the evidence changed after watch or self-check"
    ran |= {"watch", "self-check"}

    assert ran == COVERED
    missing = sorted(COMMANDS - COVERED)
    assert not missing, f"commands not yet proven to leave the evidence untouched: {missing}"
