"""Linking by hand and automatically by folder names; unlinking forgets only what no other link covers."""

from __future__ import annotations

import pytest

from archive.index.scan import scan
from archive.links import automap, link, unlink
from common.errors import UserError


def _links(archive):
    return sorted((code, path) for code, path in archive.conn.execute("SELECT code, path FROM links"))


def _mkdirs(root, *names):
    for name in names:
        (root / name).mkdir(parents=True, exist_ok=True)
    return root


def test_automap_recognises_every_folder_naming_style(archive, tmp_path):
    root = _mkdirs(tmp_path / "资料",
                   "一、组织领导/（二）工作方案/2024年", "1.1 领导小组", "2.1-农残治理/1.快检台账",
                   "2.2_校园食堂", "各乡镇资料/2.1.1 乡镇台账", "照片汇总", "2023年工作总结")
    report = automap(archive, str(root))
    linked = sorted((code, path.removeprefix(str(root) + "/")) for code, path in report.linked)
    assert linked == [
        ("1.1", "1.1 领导小组"), ("1.2", "一、组织领导/（二）工作方案"),
        ("2.1.1", "2.1-农残治理/1.快检台账"), ("2.1.1", "各乡镇资料/2.1.1 乡镇台账"), ("2.2", "2.2_校园食堂")]
    # category folders whose sub-folders matched their children are not linked themselves
    assert sorted((c, p.removeprefix(str(root) + "/")) for c, p in report.categories) == [
        ("1", "一、组织领导"), ("2.1", "2.1-农残治理")]
    assert [p.removeprefix(str(root) + "/") for p in report.unmatched] == ["2023年工作总结", "照片汇总"]


def test_automap_twice_links_nothing_new(archive, tmp_path):
    root = _mkdirs(tmp_path / "资料", "1.1 领导小组", "1.2 工作方案")
    automap(archive, str(root))
    again = automap(archive, str(root))
    assert again.linked == [] and len(again.existing) == 2
    assert len(_links(archive)) == 2


def test_automap_refuses_missing_root(archive, tmp_path):
    with pytest.raises(UserError, match="文件夹不存在"):
        automap(archive, str(tmp_path / "没有"))


def test_link_files_and_folders_to_several_criteria(archive, evidence):
    plan = evidence / "1.2 工作方案" / "创建工作方案.txt"
    assert link(archive, "1.2", [str(plan), str(evidence / "1.1 领导小组")]) == [
        str(plan), str(evidence / "1.1 领导小组")]
    assert link(archive, "1.2", [str(plan)]) == []  # already linked
    link(archive, "2.2", [str(plan)])
    assert _links(archive) == sorted([("1.2", str(plan)), ("1.2", str(evidence / "1.1 领导小组")),
                                      ("2.2", str(plan))])


def test_link_refuses_unknown_code_and_missing_path(archive, evidence):
    with pytest.raises(UserError, match=r"没有编号 7\.7"):
        link(archive, "7.7", [str(evidence)])
    with pytest.raises(UserError, match="路径不存在"):
        link(archive, "1.1", [str(evidence / "不存在")])
    assert _links(archive) == []


def test_link_refuses_a_folder_holding_the_archive(archive):
    with pytest.raises(UserError, match="档案文件本身"):
        link(archive, "1.1", [str(archive.path.parent)])


def test_unlink_forgets_files_no_other_link_covers(archive, evidence):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    link(archive, "1", [str(evidence / "1.1 领导小组" / "会议纪要")])
    scan(archive)
    unlink(archive, "1.1", str(evidence / "1.1 领导小组"))
    remaining = [p for (p,) in archive.conn.execute("SELECT path FROM files")]
    assert [p.rsplit("/", 1)[1] for p in remaining] == ["2024年第一次会议纪要.txt"]
    assert archive.conn.execute("SELECT COUNT(*) FROM events WHERE kind = 'removed'").fetchone()[0] == 0
    with pytest.raises(UserError, match="没有关联"):
        unlink(archive, "1.1", str(evidence / "1.1 领导小组"))
