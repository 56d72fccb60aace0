"""The one rule for where an evidence file belongs (archive.linkset.most_specific), applied alike by the dossier
(which lists a file under every most specific criterion) and by the department package (which holds it once)."""

from __future__ import annotations

from archive.index.scan import scan
from archive.links import link
from archive.linkset import ancestors_of, most_specific
from conftest import small_catalogue
from departments.evidence import collect_entries
from exporters.evidence import collect

NOTICE = "关于成立创建工作领导小组的通知.pdf"


def test_most_specific_keeps_the_deepest_of_a_chain_and_every_unrelated_criterion():
    ancestors = ancestors_of(small_catalogue().criteria)
    assert most_specific(["2", "2.1", "2.1.1"], ancestors) == ["2.1.1"]
    assert most_specific(["1.1", "2.1"], ancestors) == ["1.1", "2.1"]
    assert most_specific(["2.1", "9.9"], ancestors) == ["2.1"]  # 9.9 is not in the catalogue (any more)
    assert most_specific([], ancestors) == []


def test_the_dossier_and_the_package_place_files_by_the_same_rule(archive, evidence):
    link(archive, "2.1", [str(evidence / "2.1 农残治理")])
    link(archive, "2.1.1", [str(evidence / "2.1 农残治理" / "1. 快检台账")])
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    link(archive, "2.2", [str(evidence / "1.1 领导小组" / NOTICE)])  # unrelated to 1.1, whose folder holds it
    scan(archive)

    listed = {item.code: sorted(f.name for f in item.files) for item in collect(archive).items}
    assert listed["2.1.1"] == ["台账一月.csv"] and "台账一月.csv" not in listed["2.1"]
    assert NOTICE in listed["1.1"] and NOTICE in listed["2.2"]

    entries, skipped, _ = collect_entries(archive)
    placed = {entry.name.rsplit("/", 1)[-1]: entry.code for entry in entries}
    assert not skipped
    assert placed["台账一月.csv"] == "2.1.1"
    assert placed[NOTICE] == "2.2"  # once: of two unrelated criteria at one level, the higher code
    for name, code in placed.items():
        assert name in listed[code]  # the package's one place is always one of the dossier's
