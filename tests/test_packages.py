"""Departments, the honest path: task package → the unit fills it → evidence package → the office imports it."""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document
from package_support import FOLDER, UNIT, db_state, evidence_zip, listing, sha
from PIL import Image

from archive.assignments import assign
from archive.catalogue import load_catalogue, store_catalogue
from archive.db import open_archive
from archive.index.scan import scan
from archive.links import link
from archive.status import compute_status
from common.errors import UserError
from conftest import MINIMAL_PDF, run_cli, small_catalogue, tree_snapshot
from criteria.model import Criterion
from departments import (
    export_evidence_package,
    import_evidence_package,
    is_unit_archive,
    list_units,
    open_task_package,
    own_codes,
    unit_items,
    write_task_package,
    write_task_packages,
)
from departments.strays import STRAY_REASON

CREATED = "2024-05-01 10:00:00"
LEDGER = f"{FOLDER}/2.1.1 农残快检台账/一月/台账.csv"


def states(archive) -> dict[str, tuple[str, int]]:
    return {s.code: (s.state, s.files) for s in compute_status(archive)}


@pytest.fixture
def task_zip(archive, tmp_path) -> Path:
    return write_task_package(archive, UNIT, tmp_path / "任务包.zip", created=CREATED)


@pytest.fixture
def unit_archive(task_zip, tmp_path):
    """The unit has opened its package and put a PDF, a ledger in a subfolder, and office junk into it."""
    path = open_task_package(task_zip, tmp_path / "单位")
    root = tmp_path / "单位"
    (root / FOLDER / "方案.pdf").write_bytes(MINIMAL_PDF)
    ledger = root / LEDGER
    ledger.parent.mkdir()
    ledger.write_text("日期,样品\n2024-01-02,青菜\n", encoding="utf-8")
    (ledger.parent / "~$台账.csv").write_bytes(b"lock")
    arc = open_archive(path)
    yield arc
    arc.close()


def test_units_roles_context_and_inherited_units(archive):
    catalogue = load_catalogue(archive)
    assert list_units(catalogue) == ["县食安办", "县农业农村局", "县市场监管局", "县教育局"]
    items = {i.criterion.code: (i.own, i.role) for i in unit_items(catalogue, "县市场监管局")}
    assert items == {"2": (False, ""), "2.1": (False, ""), "2.1.1": (True, "配合")}
    catalogue.criteria.append(Criterion("2.2.1", "食堂明厨亮灶", "2.2", 3, "1."))  # names no unit: inherits 县教育局
    items = {i.criterion.code: (i.own, i.role) for i in unit_items(catalogue, "县教育局")}
    assert items == {"2": (False, ""), "2.2": (True, "牵头"), "2.2.1": (True, "牵头")}


def test_the_units_root_is_where_the_units_folders_are_linked_from(archive, tmp_path):
    from departments.units import units_root

    assert units_root(archive) == ""  # nothing linked
    root = tmp_path / "创建 证明材料"
    elsewhere = tmp_path / "其他"
    for folder in (root / "县农业农村局" / "2.1 农药兽药残留治理提升行动", root / "县教育局", elsewhere / "1.1 方案",
                   tmp_path / "旧材料" / "县市场监管局" / "台账"):
        folder.mkdir(parents=True)
    link(archive, "1.1", [elsewhere / "1.1 方案"])  # in no unit's folder
    assert units_root(archive) == ""
    link(archive, "2.1", [root / "县农业农村局" / "2.1 农药兽药残留治理提升行动"])
    link(archive, "2.2", [root / "县教育局"])  # the unit's folder itself
    link(archive, "2.1.1", [tmp_path / "旧材料" / "县市场监管局" / "台账"])  # one link elsewhere: the most agree
    assert units_root(archive) == str(root)


def test_task_package_layout_manifest_and_instructions(archive, task_zip):
    with zipfile.ZipFile(task_zip) as zf:
        infos = {i.filename: i for i in zf.infolist()}
        data = json.loads(zf.read("manifest.json"))
        docx = zf.read("任务清单.docx")
    assert set(infos) == {"任务清单.docx", "manifest.json", "2 防范风险隐患/", f"{FOLDER}/",
                          f"{FOLDER}/2.1.1 农残快检台账/"}
    assert all(i.flag_bits & 0x800 for name, i in infos.items() if not name.isascii())  # Explorer shows Chinese
    assert all(i.date_time == (2024, 5, 1, 10, 0, 0) for i in infos.values())
    assert (data["kind"], data["version"], data["unit"], data["archive_title"], data["created"]) == \
        ("reviewready-task", 1, UNIT, "某某县", CREATED)
    rows = {c["code"]: c for c in data["criteria"]}
    assert rows["2.1"]["own"] and rows["2.1"]["role"] == "牵头" and not rows["2"]["own"]
    assert rows["2.1.1"]["folder"] == f"{FOLDER}/2.1.1 农残快检台账" and rows["2.1.1"]["due"] == ""
    assert {"code", "title", "rule", "evidence", "due", "folder"} <= set(rows["2.1"])
    document = Document(io.BytesIO(docx))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"{UNIT}迎检材料任务清单" in text and "unit-export" in text
    table = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert table[0][:3] == ["编号", "评价项目", "分工"]
    assert [r[:3] for r in table[1:]] == [["2.1", "农药兽药残留治理提升行动", "牵头"],
                                          ["2.1.1", "农残快检台账", "牵头"]]
    assert 'w:eastAsia="黑体"' in document.tables[0].rows[0].cells[0]._tc.xml


def test_task_packages_are_reproducible_and_pick_up_deadlines(archive, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    made = write_task_packages(archive, None, first, created=CREATED)
    units = ["县食安办", "县农业农村局", "县市场监管局", "县教育局"]
    assert [p.name for p in made] == [f"{u}-任务包.zip" for u in units]
    assign(archive, "2.2", due="2024-06-30")  # the self-evaluation's deadlines (a view the packages read)
    again = write_task_packages(archive, None, second, created=CREATED)
    assert [p.read_bytes() for p in made if "教育" not in p.name] == \
        [p.read_bytes() for p in again if "教育" not in p.name]
    with zipfile.ZipFile(second / "县教育局-任务包.zip") as zf:
        due = {c["code"]: c["due"] for c in json.loads(zf.read("manifest.json"))["criteria"]}
    assert due == {"2": "", "2.2": "2024-06-30"}


def test_a_unit_reassigned_by_the_office_gets_the_item_in_its_task_package(archive, tmp_path):
    assign(archive, "2.2", lead="县卫健局", assist=["县教育局"])  # the table said 县教育局 alone
    made = write_task_packages(archive, None, tmp_path, created=CREATED)
    assert "县卫健局-任务包.zip" in [p.name for p in made]
    with zipfile.ZipFile(tmp_path / "县卫健局-任务包.zip") as zf:
        items = {c["code"]: c for c in json.loads(zf.read("manifest.json"))["criteria"]}
    assert {code: item["role"] for code, item in items.items() if item["own"]} == {"2.2": "牵头"}
    assert list(items) == ["2", "2.2"]  # its parent comes along for context


def test_unknown_unit_lists_the_known_ones(archive, tmp_path):
    with pytest.raises(UserError, match=r"没有单位“县公安局”.*县农业农村局"):
        write_task_package(archive, "县公安局", tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()


def test_unit_archive_from_task_package(task_zip, tmp_path):
    path = open_task_package(task_zip, tmp_path / "单位")
    assert path == tmp_path / "单位" / f"{UNIT}.rrdb"
    assert sorted(os.listdir(tmp_path / "单位")) == ["2 防范风险隐患", "任务清单.docx", f"{UNIT}.rrdb"]
    with open_archive(path) as unit:
        assert is_unit_archive(unit) and unit.meta("unit") == UNIT
        assert own_codes(unit) == ["2.1", "2.1.1"]
        assert [c.code for c in load_catalogue(unit).criteria] == ["2", "2.1", "2.1.1"]
        links = dict(unit.conn.execute("SELECT code, path FROM links"))
        folder = tmp_path / "单位" / FOLDER
        assert links == {"2.1": str(folder), "2.1.1": str(folder / "2.1.1 农残快检台账")}
        assert states(unit)["2.1"] == ("missing", 0)


def test_round_trip_and_reimport_is_a_no_op(archive, unit_archive, tmp_path, evidence):
    outside = evidence / "2.1 农残治理" / "1. 快检台账"  # a folder the unit links instead of copying
    link(unit_archive, "2.1.1", [str(outside)])
    before_evidence = tree_snapshot(evidence)
    result = export_evidence_package(unit_archive, tmp_path / "材料包.zip", created=CREATED)
    assert states(unit_archive)["2.1.1"] == ("collected", 2)
    assert result.files == 3 and not result.skipped
    with zipfile.ZipFile(result.path) as zf:
        data = json.loads(zf.read("manifest.json"))
        for item in data["files"]:
            assert sha(zf.read(item["path"])) == item["sha256"] and zf.getinfo(item["path"]).file_size == item["size"]
    assert (data["kind"], data["unit"], data["created"]) == ("reviewready-evidence", UNIT, CREATED)
    assert {f["path"]: f["code"] for f in data["files"]} == {
        f"{FOLDER}/方案.pdf": "2.1", LEDGER: "2.1.1",
        f"{FOLDER}/2.1.1 农残快检台账/1. 快检台账/台账一月.csv": "2.1.1"}
    assert tree_snapshot(evidence) == before_evidence  # linked folders are only read

    root = tmp_path / "汇总"
    root.mkdir()
    report = import_evidence_package(archive, result.path, root)
    unit_dir = root / UNIT
    assert sorted(report.added) == sorted(f["path"] for f in data["files"]) and not report.failed
    for item in data["files"]:
        assert sha((unit_dir / item["path"]).read_bytes()) == item["sha256"]
    assert sorted(report.linked) == [("2.1", str(unit_dir / FOLDER)),
                                     ("2.1.1", str(unit_dir / FOLDER / "2.1.1 农残快检台账"))]
    assert states(archive)["2.1"] == ("collected", 3) and states(archive)["2.1.1"] == ("collected", 2)
    assert archive.conn.execute("SELECT COUNT(*) FROM events WHERE kind = 'added'").fetchone()[0] == 3
    pdf = unit_dir / FOLDER / "方案.pdf"
    assert archive.conn.execute("SELECT pages FROM files WHERE path = ?", (str(pdf),)).fetchone()[0] == 2

    state, files = db_state(archive), tree_snapshot(root)
    again = import_evidence_package(archive, result.path, root)
    assert again.no_change and again.summary().startswith("无变化") and len(again.unchanged) == 3
    assert db_state(archive) == state and tree_snapshot(root) == files


def test_files_left_beside_the_item_folders_are_named_not_lost(unit_archive, tmp_path):
    """A clerk who drops a file in the package's root or in a category folder gets told, not an export without it."""
    root = tmp_path / "单位"
    (root / "放错位置的台账.xlsx").write_bytes(b"ledger one")
    (root / "2 防范风险隐患" / "分类下的通知.pdf").write_bytes(MINIMAL_PDF)
    (root / "2 防范风险隐患" / "~$分类下的通知.docx").write_bytes(b"lock")  # office junk stays unmentioned
    (root / f"{UNIT}.rrdb.lock").write_bytes(b"1")  # the window's lock, beside the archive
    (root / f"{UNIT}-证明材料包-20240501.zip").write_bytes(b"PK")  # the last export, saved beside the folders
    result = export_evidence_package(unit_archive, root / "材料包.zip", created=CREATED)
    assert result.files == 2
    assert result.skipped == [(str(root / "2 防范风险隐患" / "分类下的通知.pdf"), STRAY_REASON),
                              (str(root / "放错位置的台账.xlsx"), STRAY_REASON)]
    (root / "放错位置的台账.xlsx").rename(root / FOLDER / "台账.xlsx")  # moved where it belongs
    (root / "2 防范风险隐患" / "分类下的通知.pdf").unlink()
    again = export_evidence_package(unit_archive, root / "材料包.zip", created=CREATED)
    assert again.files == 3 and again.skipped == []


def test_changed_file_keeps_the_older_version_beside_it(archive, unit_archive, tmp_path):
    root = tmp_path / "汇总"
    root.mkdir()
    first = export_evidence_package(unit_archive, tmp_path / "一.zip")
    import_evidence_package(archive, first.path, root)
    target = root / UNIT / LEDGER
    old = target.read_bytes()
    os.utime(target, (1714528800, 1714528800))  # the older version is named by its time
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(1714528800))
    (tmp_path / "单位" / LEDGER).write_text("日期,样品\n2024-02-03,白菜\n", encoding="utf-8")
    second = export_evidence_package(unit_archive, tmp_path / "二.zip")
    report = import_evidence_package(archive, second.path, root)
    assert [(c.path, c.kept_as) for c in report.changed] == [(LEDGER, f"台账（旧版 {stamp}）.csv")]
    assert report.added == [] and len(report.unchanged) == 1 and report.linked == []
    assert (target.parent / f"台账（旧版 {stamp}）.csv").read_bytes() == old
    assert "白菜" in target.read_text(encoding="utf-8")
    latest = archive.conn.execute("SELECT kind, path FROM events ORDER BY id DESC LIMIT 2").fetchall()
    assert sorted(latest) == [("added", str(target.parent / f"台账（旧版 {stamp}）.csv")), ("modified", str(target))]
    state = db_state(archive)
    assert import_evidence_package(archive, second.path, root).no_change and db_state(archive) == state


def test_a_file_renamed_at_the_office_is_not_duplicated(archive, unit_archive, tmp_path):
    root = tmp_path / "汇总"
    root.mkdir()
    package = export_evidence_package(unit_archive, tmp_path / "一.zip").path
    import_evidence_package(archive, package, root)
    pdf = root / UNIT / FOLDER / "方案.pdf"
    pdf.rename(pdf.with_name("1.创建方案（定稿）.pdf"))
    report = import_evidence_package(archive, package, root)
    assert report.no_change and not pdf.exists()


def test_a_corrupted_or_unknown_file_fails_alone(archive, tmp_path):
    good, bad, stray = f"{FOLDER}/好.txt", f"{FOLDER}/坏.txt", "9 其他/文件.txt"
    files = {good: "好".encode(), bad: "坏".encode(), stray: b"x"}
    package = evidence_zip(tmp_path / "p.zip", files)
    data = json.loads(zipfile.ZipFile(package).read("manifest.json"))
    data["files"][1]["sha256"] = hashlib.sha256(b"something else").hexdigest()
    data["files"][2]["code"] = "9.9"
    package = evidence_zip(tmp_path / "p2.zip", files, manifest=data)
    root = tmp_path / "汇总"
    root.mkdir()
    report = import_evidence_package(archive, package, root)
    assert report.added == [good]
    assert dict(report.failed) == {bad: "SHA-256 校验值与清单不符：文件在传递中被改动或损坏",
                                   stray: "档案的评价目录中没有编号 9.9"}
    assert listing(root) == [UNIT, f"{UNIT}/2 防范风险隐患", f"{UNIT}/{FOLDER}", f"{UNIT}/{good}"]
    assert json.loads(json.dumps(report.to_json()))["failed"][0]["path"] in (bad, stray)


def test_a_task_package_opened_from_a_chat_app_or_a_temp_folder_is_unpacked_in_documents(tmp_path, monkeypatch):
    """A package opened straight from WeChat lies in its received files, which its storage cleanup may empty; one
    opened from inside another zip lies in a temp folder the system cleans: months of a unit's evidence beside it
    were at risk. Beside the package otherwise, as she would unpack it in Explorer."""
    import tempfile

    from departments.unit import default_unit_folder

    documents = tmp_path / "我的文档"
    monkeypatch.setattr("platformdirs.user_documents_dir", lambda: str(documents))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "临时"))
    wechat = tmp_path / "WeChat Files" / "wxid_abc" / "FileStorage" / "File" / "2026-12"
    for folder in (wechat, tmp_path / "xwechat_files" / "wxid_abc" / "msg" / "file",
                   tmp_path / "Tencent Files" / "12345" / "FileRecv", tmp_path / "临时" / "Temp1_任务包.zip"):
        assert default_unit_folder(folder / "县教育局-任务包.zip", "县教育局") == str(documents / "县教育局-迎检材料")
    own = tmp_path / "下载"
    assert default_unit_folder(own / "县教育局-任务包.zip", "县教育局") == str(own / "县教育局-迎检材料")


def test_unit_side_refusals_leave_nothing(archive, task_zip, tmp_path):
    with pytest.raises(UserError, match="不是单位档案"):
        export_evidence_package(archive, tmp_path / "x.zip")
    busy = tmp_path / "已有文件"
    busy.mkdir()
    (busy / "别的.txt").write_text("x")
    with pytest.raises(UserError, match="文件夹不为空"):
        open_task_package(task_zip, busy)
    assert os.listdir(busy) == ["别的.txt"]
    taken = tmp_path / "档案.rrdb"
    taken.write_bytes(b"x")
    with pytest.raises(UserError, match="文件已存在"):
        open_task_package(task_zip, tmp_path / "新", archive_path=taken)
    assert not (tmp_path / "新").exists()


def test_catalogue_revised_after_the_package_still_imports_known_codes(archive, unit_archive, tmp_path):
    package = export_evidence_package(unit_archive, tmp_path / "一.zip").path
    revised = small_catalogue()
    revised.criteria = [c for c in revised.criteria if c.code != "2.1.1"]
    store_catalogue(archive, revised)
    root = tmp_path / "汇总"
    root.mkdir()
    report = import_evidence_package(archive, package, root)
    assert report.added == [f"{FOLDER}/方案.pdf"]
    assert report.failed == [(LEDGER, "编号 2.1.1 的项目已在评价目录修订中删除")]  # mapped through the revision


def test_files_packed_with_a_problem_are_named_to_the_unit(unit_archive, tmp_path, capsys):
    """A photo whose copy from the phone was cut short went to the office without a word to the unit, who alone can
    copy it again; it is packed (the office decides), and named, in the result and on the command line."""
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 50).convert("RGB").save(buffer, "JPEG")
    photo = tmp_path / "单位" / FOLDER / "检查照片.jpg"
    photo.write_bytes(buffer.getvalue()[:4000])
    result = export_evidence_package(unit_archive, tmp_path / "材料包.zip", created=CREATED)
    assert [(path, problem[:7]) for path, problem in result.problems] == [(str(photo), "图片文件不完整")]
    with zipfile.ZipFile(result.path) as zf:
        assert f"{FOLDER}/检查照片.jpg" in zf.namelist()
    out = run_cli(capsys, "unit-export", unit_archive.path, "--out", tmp_path / "又一个.zip")
    assert f"已放入，但有问题：{photo}：图片文件不完整" in out


def test_the_import_report_names_the_files_it_brought_with_a_problem(archive, unit_archive, tmp_path):
    """The office learns which of the unit's files need asking for again, in the report it reads after the import."""
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 50).convert("RGB").save(buffer, "JPEG")
    (tmp_path / "单位" / FOLDER / "检查照片.jpg").write_bytes(buffer.getvalue()[:4000])
    package = export_evidence_package(unit_archive, tmp_path / "材料包.zip", created=CREATED).path
    root = tmp_path / "汇总"
    root.mkdir()
    (root / "旧的.txt").write_bytes(b"")  # a problem of the archive's own, not of this import
    link(archive, "1.1", [str(root / "旧的.txt")])
    scan(archive)
    report = import_evidence_package(archive, package, root)
    photo = f"{FOLDER}/检查照片.jpg"
    assert [(path, problem[:7]) for path, problem in report.problems()] == [(photo, "图片文件不完整")]
    assert any(line.startswith(f"有问题：{FOLDER}/检查照片.jpg：图片文件不完整") for line in report.lines())
    assert report.to_json()["problems"][0]["path"] == f"{FOLDER}/检查照片.jpg"
