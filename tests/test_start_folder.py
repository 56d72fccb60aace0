"""Folder and file choosers for evidence open beside what is linked, not in the folder the app was started from."""

from __future__ import annotations

import os
import shutil

from archive.links import link
from archive.start_folder import evidence_start


def test_beside_the_items_own_links_else_where_all_links_meet_else_home(archive, evidence, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "家"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "家"))
    assert evidence_start(archive, "1.1") == str(tmp_path / "家")  # nothing linked yet
    units = evidence / "各单位"
    for unit in ("县委办/1.1 领导小组", "县市场监管局/2.1 农残", "县市场监管局/2.2 校园"):
        (units / unit).mkdir(parents=True)
    (units / "县委办" / "纪要.docx").write_bytes(b"x")
    link(archive, "2.1", [str(units / "县市场监管局" / "2.1 农残")])
    assert evidence_start(archive, "2.2") == str(units / "县市场监管局")  # the only linked folder: beside it
    link(archive, "1.2", [str(units / "县委办" / "纪要.docx")])
    assert evidence_start(archive, "2.1") == str(units / "县市场监管局")  # its neighbours: 2.2 校园
    assert evidence_start(archive, "1.2") == str(units / "县委办")  # a linked file: its folder
    assert evidence_start(archive, "2.2") == str(units)  # not linked yet: the 总文件夹 of all evidence
    assert evidence_start(archive, "2.2", "2.1") == str(units / "县市场监管局")  # the next code with links
    assert evidence_start(archive) == str(units)
    shutil.rmtree(units / "县市场监管局")  # gone (renamed, a drive not mounted): not offered
    assert evidence_start(archive, "2.1") == str(units)
    assert os.path.isdir(evidence_start(archive, "2.1"))
