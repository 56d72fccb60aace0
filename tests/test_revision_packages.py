"""Issue 15, item 9: department packages carry the catalogue's fingerprint; one made against an earlier catalogue is
mapped through the recorded revisions, and one from a catalogue this archive cannot map is refused.

The real round trip: the office writes a task package, the unit opens it and files evidence, exports its evidence
package; meanwhile the office revises its catalogue; then the office imports the package.
"""

from __future__ import annotations

import json
import zipfile

import pytest
from package_support import db_state, evidence_zip, listing
from revision_support import base_catalogue, revised

from archive.catalogue import load_catalogue, store_catalogue
from archive.db import create_archive, open_archive
from archive.revision import revise_catalogue
from archive.revision_log import current_fingerprint
from archive.status import compute_status
from common.errors import UserError
from departments import export_evidence_package, import_evidence_package, open_task_package, write_task_package

UNIT = "县市场监管局"
DRILL = "开展食品安全应急演练"
WEEK = "组织食品安全宣传周活动"
HELPERS = "乡镇食品安全协管员配备到位"


@pytest.fixture
def office(tmp_path):
    arc = create_archive(tmp_path / "办公室.rrdb", "某某县")
    store_catalogue(arc, base_catalogue())
    yield arc
    arc.close()


def unit_package(office, tmp_path, name: str = "证明材料包.zip"):
    """The unit's evidence package: one file in the folder of 协管员 (1.2), 应急演练 (1.3) and 宣传周 (1.4)."""
    task = write_task_package(office, UNIT, tmp_path / "任务包.zip", created="2024-05-01 10:00:00")
    unit_dir = tmp_path / "单位"
    unit_path = open_task_package(task, unit_dir)
    with open_archive(unit_path) as unit:
        folders = json.loads(unit.meta("folders"))
    for code, title in (("1.2", HELPERS), ("1.3", DRILL), ("1.4", WEEK)):
        (unit_dir / folders[code] / f"{title}.txt").write_text(title, encoding="utf-8")
    with open_archive(unit_path) as unit:
        return export_evidence_package(unit, tmp_path / name).path


def test_the_task_and_evidence_packages_carry_the_catalogue_fingerprint(office, tmp_path):
    package = unit_package(office, tmp_path)
    with zipfile.ZipFile(tmp_path / "任务包.zip") as zf:
        assert json.loads(zf.read("manifest.json"))["catalogue_fingerprint"] == current_fingerprint(office)
    with zipfile.ZipFile(package) as zf:
        assert json.loads(zf.read("manifest.json"))["catalogue_fingerprint"] == current_fingerprint(office)


def test_a_package_from_before_a_revision_lands_on_the_items_it_was_made_for(office, tmp_path):
    package = unit_package(office, tmp_path)
    revise_catalogue(office, revised(lambda g: g["组织领导"].pop(1)))  # 协管员 goes; 1.3 → 1.2, 1.4 → 1.3
    root = tmp_path / "汇总"
    root.mkdir()
    report = import_evidence_package(office, package, root)
    by_code = {code: path for code, path in report.linked}
    assert by_code["1.2"].endswith(f"1.3 {DRILL}") and by_code["1.3"].endswith(f"1.4 {WEEK}")
    assert report.failed == [(f"1 组织领导/1.2 {HELPERS}/{HELPERS}.txt", "编号 1.2 的项目已在评价目录修订中删除")]
    files = {s.title: s.files for s in compute_status(office)}
    assert files[DRILL] == 1 and files[WEEK] == 1


def test_a_package_is_mapped_through_several_revisions(office, tmp_path):
    package = unit_package(office, tmp_path)
    revise_catalogue(office, revised(lambda g: g["组织领导"].pop(1)))

    def second(groups):
        groups["组织领导"].pop(1)
        groups["组织领导"].insert(0, ("建立工作经费保障", ""))
    revise_catalogue(office, revised(second))  # 应急演练 1.2 → 1.3, 宣传周 1.3 → 1.4 again
    assert {c.title: c.code for c in load_catalogue(office).criteria}[DRILL] == "1.3"
    root = tmp_path / "汇总"
    root.mkdir()
    report = import_evidence_package(office, package, root)
    assert {code for code, _ in report.linked} == {"1.3", "1.4"}
    files = {s.title: s.files for s in compute_status(office)}
    assert files[DRILL] == 1 and files[WEEK] == 1 and files["建立工作经费保障"] == 0


def test_a_package_from_an_unknown_catalogue_is_refused_and_nothing_is_written(office, tmp_path):
    other = create_archive(tmp_path / "别的县.rrdb", "别的县")
    store_catalogue(other, revised(lambda g: g["组织领导"].__setitem__(0, ("别的县的领导小组", ""))))  # same codes
    package = unit_package(other, tmp_path)
    other.close()
    root = tmp_path / "汇总"
    root.mkdir()
    before = db_state(office)
    with pytest.raises(UserError, match=r"按另一版评价目录整理的.*未导入任何内容.*县市场监管局的任务包"):
        import_evidence_package(office, package, root)
    assert db_state(office) == before and listing(root) == []


def test_a_package_without_fingerprint_is_refused_when_its_items_now_read_otherwise(office, tmp_path):
    revise_catalogue(office, revised(lambda g: g["组织领导"].pop(1)))
    body = {"协管员.txt": b"x"}
    manifest = {"criteria": [{"code": "1.2", "title": HELPERS, "folder": "协管员"}]}
    package = evidence_zip(tmp_path / "旧包.zip", body, code="1.2", **manifest)
    root = tmp_path / "汇总"
    root.mkdir()
    before = db_state(office)
    message = rf"没有记录它所依据的评价目录版本.*编号 1\.2 的项目“{HELPERS}”在当前目录中是“{DRILL}”"
    with pytest.raises(UserError, match=message):
        import_evidence_package(office, package, root)
    assert db_state(office) == before and listing(root) == []
