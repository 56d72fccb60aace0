"""Issue 8, item 5, what tests/test_packages_safety.py does not already cover: a unit opening a hostile *task* package
(absolute paths, drive letters, UNC and device names, not only ".."), and real-size zip bombs against the default
limits, through the command line, with peak memory measured. In every case nothing is written anywhere."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from package_support import FOLDER, UNIT, db_state, evidence_manifest, write_zip
from reliability_support import BOMB_BYTES, cli, listing, run_measured

from common.errors import UserError
from conftest import tree_snapshot
from departments import open_task_package, write_task_package

BOMB = f"{FOLDER}/台账.csv"


def _zeros_sha(total: int) -> str:
    digest, block = hashlib.sha256(), bytes(1 << 20)
    for _ in range(total >> 20):
        digest.update(block)
    return digest.hexdigest()


def bomb_package(path: Path, total: int = BOMB_BYTES) -> Path:
    """An honest-looking evidence package whose one file inflates to `total` bytes of zeros (written streaming)."""
    manifest = evidence_manifest({BOMB: b""})
    manifest["files"][0].update(size=total, sha256=_zeros_sha(total))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        info = zipfile.ZipInfo(BOMB, (2024, 5, 1, 10, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        block = bytes(1 << 20)
        with zf.open(info, "w", force_zip64=True) as handle:
            for _ in range(total >> 20):
                handle.write(block)
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return bomb_package(tmp_path_factory.mktemp("bomb") / "材料包.zip")


@pytest.fixture
def task_entries(archive, tmp_path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    good = write_task_package(archive, UNIT, tmp_path / "任务包.zip")
    with zipfile.ZipFile(good) as zf:
        return [(item, zf.read(item)) for item in zf.infolist()]


@pytest.mark.parametrize(("name", "why"), [
    ("/tmp/evil.txt", "绝对路径"),
    ("C:/Users/Public/evil.txt", "盘符"),
    ("D:evil.txt", "盘符"),
    ("\\\\server\\share\\evil.txt", "UNC"),
    ("CON", "设备名"),
    (f"{FOLDER}/LPT1.docx", "设备名"),
    (f"{FOLDER}/../../../evil.txt", "“..”"),
    (f"{FOLDER}/evil.txt ", "句点结尾"),
])
def test_a_hostile_task_package_is_refused_with_nothing_unpacked(task_entries, tmp_path, name, why):
    outside = tmp_path / "别处"
    outside.mkdir()
    before = tree_snapshot(tmp_path)
    bad = write_zip(tmp_path / "坏任务包.zip", [*task_entries, (zipfile.ZipInfo(name), b"evil")])
    before[bad.name] = tree_snapshot(tmp_path)[bad.name]
    with pytest.raises(UserError, match=why):
        open_task_package(bad, outside / "单位", archive_path=outside / "单位.rrdb")
    assert tree_snapshot(tmp_path) == before and listing(outside) == []


def test_a_zip_bomb_task_package_is_refused_before_anything_is_written(task_entries, tmp_path):
    info = zipfile.ZipInfo(f"{FOLDER}/说明.txt")
    info.compress_type = zipfile.ZIP_DEFLATED
    bad = write_zip(tmp_path / "炸弹任务包.zip", [*task_entries, (info, bytes(32 << 20))])
    with pytest.raises(UserError, match="疑似压缩炸弹"):
        open_task_package(bad, tmp_path / "单位")
    assert not (tmp_path / "单位").exists()


def test_a_real_zip_bomb_is_refused_by_the_default_limits_on_the_command_line(archive, tmp_path, bomb):
    package = bomb
    assert package.stat().st_size < BOMB_BYTES / 500
    root = tmp_path / "汇总"
    root.mkdir()
    archive.close()
    done = cli("import", archive.path, package, "--root", root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "疑似压缩炸弹" in done.stderr and "未导入任何内容" in done.stderr
    assert listing(root) == []


def test_a_zip_bomb_costs_no_memory_and_no_time(archive, tmp_path, bomb):
    """In a fresh interpreter: the bomb is refused from the declared sizes, nothing is inflated."""
    package = bomb
    root = tmp_path / "汇总"
    root.mkdir()
    before = db_state(archive)
    archive.close()
    measured = run_measured(f"""
from archive.db import open_archive
from common.errors import UserError
from departments import import_evidence_package
with open_archive({str(archive.path)!r}) as arc:
    try:
        import_evidence_package(arc, {str(package)!r}, {str(root)!r})
        raise AssertionError("imported")
    except UserError:
        pass
""")
    assert measured["outcome"] == "ok" and measured["peak_mb"] < 150 and measured["seconds"] < 5, measured
    assert listing(root) == []
    from archive.db import open_archive

    with open_archive(archive.path) as again:
        assert db_state(again) == before
