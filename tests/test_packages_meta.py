"""The file information a unit's clerk typed (题名, 成文日期, a photo's 事由, 人物, 地点) travels in the evidence
package and arrives at the office as typed values: real task package, unit archive, scan, export and import."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from metadata_support import jpeg_with_exif
from package_support import FOLDER, UNIT, db_state, evidence_zip

from archive.db import open_archive
from archive.index.scan import scan
from archive.metadata.store import file_id_for, metadata_for_files, set_values
from conftest import MINIMAL_PDF, run_cli
from departments import export_evidence_package, import_evidence_package, open_task_package, write_task_package

PLAN = f"{FOLDER}/方案.pdf"
PHOTO = f"{FOLDER}/检查现场.jpg"
TAKEN = "2024:03:05 14:30:12"  # the photo's own EXIF time: read by both sides' scans, never carried as typed


@pytest.fixture
def unit_archive(archive, tmp_path):
    """The unit opened its task package, put a plan (PDF) and a photo into its folder and typed what they are."""
    task = write_task_package(archive, UNIT, tmp_path / "任务包.zip", created="2024-05-01 10:00:00")
    path = open_task_package(task, tmp_path / "单位")
    folder = tmp_path / "单位" / FOLDER
    (folder / "方案.pdf").write_bytes(MINIMAL_PDF)
    jpeg_with_exif(folder / "检查现场.jpg", taken=TAKEN)
    unit = open_archive(path)
    scan(unit)
    set_values(unit, [file_id_for(unit, str(folder / "方案.pdf"))],
               {"title": "关于开展农残快检的实施方案", "date": "2024年3月5日"})
    set_values(unit, [file_id_for(unit, str(folder / "检查现场.jpg"))],
               {"subject": "春季农残快检现场检查", "people": "张三、李四", "place": "城关农贸市场"})
    yield unit
    unit.close()


@pytest.fixture
def root(tmp_path) -> Path:
    folder = tmp_path / "汇总"
    folder.mkdir()
    return folder


def office_meta(archive, root: Path, relative: str):
    return metadata_for_files(archive, [file_id_for(archive, str(root / UNIT / relative))]).popitem()[1]


def package_manifest(package: Path) -> dict:
    with zipfile.ZipFile(package) as zf:
        return json.loads(zf.read("manifest.json"))


def rewrite_manifest(package: Path, out: Path, change) -> Path:
    """A copy of `package` whose manifest `change` edited, as a hand-edited package would be."""
    with zipfile.ZipFile(package) as zf:
        data = json.loads(zf.read("manifest.json"))
        change(data)
        files = {item["path"]: zf.read(item["path"]) for item in data["files"]}
    return evidence_zip(out, files, manifest=data)


def test_typed_values_arrive_at_the_office_as_typed(archive, unit_archive, root, tmp_path):
    package = export_evidence_package(unit_archive, tmp_path / "材料包.zip").path
    carried = {item["path"]: item["meta"] for item in package_manifest(package)["files"]}
    assert carried == {PLAN: {"title": "关于开展农残快检的实施方案", "date": "2024-03-05"},
                       PHOTO: {"subject": "春季农残快检现场检查", "people": "张三、李四", "place": "城关农贸市场"}}

    report = import_evidence_package(archive, package, root)
    assert sorted(report.added) == [PLAN, PHOTO] and not report.failed
    plan, photo = office_meta(archive, root, PLAN), office_meta(archive, root, PHOTO)
    assert (plan["title"], plan["date"]) == ("关于开展农残快检的实施方案", "2024-03-05")
    assert plan.source("title") == plan.source("date") == "typed"
    assert (photo["subject"], photo["people"], photo["place"]) == ("春季农残快检现场检查", "张三、李四", "城关农贸市场")
    assert {photo.source(key) for key in ("subject", "people", "place")} == {"typed"}
    assert photo["time"] == "2024-03-05 14:30:12" and photo.source("time") == "file"  # the office's scan read it
    line = "2 个文件带有单位填写的文件信息（题名、事由等），已写入"
    assert report.meta_line() == line and line in report.lines()
    assert report.to_json()["file_info"] == {"files": 2, "skipped": [], "kept": []}

    state = db_state(archive)
    again = import_evidence_package(archive, package, root)
    assert again.no_change and again.meta_line() == "" and db_state(archive) == state


def test_the_office_corrections_survive_a_newer_package(archive, unit_archive, root, tmp_path):
    unit_folder = tmp_path / "单位" / FOLDER
    import_evidence_package(archive, export_evidence_package(unit_archive, tmp_path / "一.zip").path, root)
    plan_id = file_id_for(archive, str(root / UNIT / PLAN))
    photo_id = file_id_for(archive, str(root / UNIT / PHOTO))
    set_values(archive, [plan_id], {"title": "某某县农残快检实施方案（食安办校正）"})  # the office corrects
    set_values(archive, [photo_id], {"people": None})  # and takes back a value: the file's own (none) again

    unit_plan = file_id_for(unit_archive, str(unit_folder / "方案.pdf"))
    unit_photo = file_id_for(unit_archive, str(unit_folder / "检查现场.jpg"))
    set_values(unit_archive, [unit_plan], {"title": "单位改过的题名", "date": "2024-03-06"})
    set_values(unit_archive, [unit_photo], {"subject": "复查现场", "people": "王五", "place": None})
    report = import_evidence_package(archive, export_evidence_package(unit_archive, tmp_path / "二.zip").path, root)

    plan, photo = office_meta(archive, root, PLAN), office_meta(archive, root, PHOTO)
    assert plan["title"] == "某某县农残快检实施方案（食安办校正）" and plan.source("title") == "typed"
    assert plan["date"] == "2024-03-06" and plan.source("date") == "typed"  # the office never typed it
    assert photo["subject"] == "复查现场" and photo.source("subject") == "typed"
    assert photo["people"] == "" and photo.source("people") == ""  # the office's removal stays
    assert photo["place"] == "" and photo.source("place") == ""  # the unit took its value back: so does the office
    assert report.meta.files == 2 and sorted(report.meta.kept) == [(PLAN, "题名"), (PHOTO, "人物")]
    assert report.meta_line().endswith("；2 项保留了本办修改过的值")
    assert f"保留本办修改：{PLAN}：题名" in report.lines()


def test_a_bad_value_in_a_hand_edited_manifest_is_reported_and_not_written(archive, unit_archive, root, tmp_path):
    def spoil(data: dict) -> None:
        by_path = {item["path"]: item for item in data["files"]}
        by_path[PLAN]["meta"].update(date="2024-13-05", subject="照片才有的事由", colour="红")
        by_path[PHOTO]["meta"]["time"] = "2024-03-05 25:61"

    exported = export_evidence_package(unit_archive, tmp_path / "材料包.zip").path
    package = rewrite_manifest(exported, tmp_path / "改过的材料包.zip", spoil)
    report = import_evidence_package(archive, package, root)
    assert sorted(report.added) == [PLAN, PHOTO] and not report.failed  # the import itself goes on
    plan, photo = office_meta(archive, root, PLAN), office_meta(archive, root, PHOTO)
    assert plan["title"] == "关于开展农残快检的实施方案" and plan.source("title") == "typed"
    assert plan.source("date") == "" and "subject" not in plan.values
    assert photo["subject"] == "春季农残快检现场检查" and photo["time"] == "2024-03-05 14:30:12"
    assert photo.source("time") == "file"  # the bad value did not hide what the photo says
    skipped = {(path, label, value): why for path, label, value, why in report.meta.skipped}
    assert set(skipped) == {(PLAN, "成文日期", "2024-13-05"), (PLAN, "事由", "照片才有的事由"),
                            (PLAN, "colour", "红"), (PHOTO, "时间", "2024-03-05 25:61")}
    assert skipped[(PLAN, "成文日期", "2024-13-05")] == \
        "成文日期格式不正确：2024-13-05（应为 YYYY-MM-DD，如 2024-03-05）"
    assert skipped[(PLAN, "事由", "照片才有的事由")] == "此项只用于照片，该文件不是照片"
    assert "时刻不正确" in skipped[(PHOTO, "时间", "2024-03-05 25:61")]
    assert report.meta_line().startswith("2 个文件带有单位填写的文件信息（题名、事由等），已写入；4 项未写入：")
    assert f"文件信息未写入：{PLAN}：成文日期“2024-13-05”：成文日期格式不正确：2024-13-05（应为 YYYY-MM-DD，" \
           f"如 2024-03-05）" in report.lines()


def test_a_package_without_file_information_imports_as_before_and_takes_nothing_away(archive, unit_archive, root,
                                                                                   tmp_path):
    exported = export_evidence_package(unit_archive, tmp_path / "材料包.zip").path
    import_evidence_package(archive, exported, root)

    def older_format(data: dict) -> None:
        for item in data["files"]:
            del item["meta"]

    old = rewrite_manifest(exported, tmp_path / "旧格式.zip", older_format)
    files = {item["path"]: item for item in package_manifest(old)["files"]}
    assert "meta" not in files[PLAN]
    report = import_evidence_package(archive, old, root)
    assert report.no_change and report.meta_line() == "" and report.to_json()["file_info"]["files"] == 0
    plan = office_meta(archive, root, PLAN)
    assert plan["title"] == "关于开展农残快检的实施方案" and plan.source("title") == "typed"  # not taken back


def test_the_import_command_prints_the_file_information_line(archive, unit_archive, root, tmp_path, capsys):
    package = tmp_path / "材料包.zip"
    run_cli(capsys, "unit-export", unit_archive.path, "--out", package)
    archive.close()
    office = tmp_path / "测试档案.rrdb"
    out = run_cli(capsys, "import", office, package, "--root", root)
    assert "2 个文件带有单位填写的文件信息（题名、事由等），已写入" in out.splitlines()
    data = json.loads(run_cli(capsys, "import", office, package, "--root", root, "--json"))
    assert data["no_change"] and data["file_info"] == {"files": 0, "skipped": [], "kept": []}
    with open_archive(office) as reopened:
        plan = office_meta(reopened, root, PLAN)
    assert plan["title"] == "关于开展农残快检的实施方案" and plan.source("title") == "typed"


def test_a_replaced_file_takes_the_units_newer_information(archive, unit_archive, root, tmp_path):
    import_evidence_package(archive, export_evidence_package(unit_archive, tmp_path / "一.zip").path, root)
    plan = tmp_path / "单位" / PLAN
    plan.write_bytes(MINIMAL_PDF.replace(b"%%EOF", b"% revised\n%%EOF"))  # the unit sends a revised plan
    scan(unit_archive)
    set_values(unit_archive, [file_id_for(unit_archive, str(plan))], {"title": "实施方案（修订稿）"})
    report = import_evidence_package(archive, export_evidence_package(unit_archive, tmp_path / "二.zip").path, root)
    assert [c.path for c in report.changed] == [PLAN] and report.meta.files == 1
    revised = office_meta(archive, root, PLAN)
    assert (revised["title"], revised.source("title"), revised["date"]) == ("实施方案（修订稿）", "typed", "2024-03-05")
