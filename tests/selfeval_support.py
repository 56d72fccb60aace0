"""A crafted catalogue for the self-evaluation tests: veto, key, basic and bonus items, kinds named on the headings
(the way the provincial tables group them), 100 base points plus 10 bonus points."""

from __future__ import annotations

import pytest

from archive.catalogue import store_catalogue
from archive.db import create_archive
from criteria.model import Catalogue, Criterion


def rules_catalogue() -> Catalogue:
    rows = [
        Criterion("1", "否决项", None, 1, "一、", kind="否决项"),
        Criterion("1.1", "近三年未发生重大食品安全事故", "1", 2, "1.", units=["市食安办"]),
        Criterion("1.2", "食品安全群众满意度不低于80分", "1", 2, "2.", units=["市统计局"]),
        Criterion("2", "关键项", None, 1, "二、", kind="关键项"),
        Criterion("2.1", "落实党政同责", "2", 2, "1.", points=30, units=["市食安办", "市委组织部"]),
        Criterion("2.2", "食品抽检覆盖", "2", 2, "2.", points=30, units=["市市场监管局"]),
        Criterion("3", "基本项", None, 1, "三、", kind="基本项"),
        Criterion("3.1", "校园食品安全", "3", 2, "1.", points=20, units=["市教育局", "市市场监管局"]),
        Criterion("3.2", "农产品质量安全", "3", 2, "2.", points=20, units=["市农业农村局"]),
        Criterion("4", "鼓励项", None, 1, "四、", kind="鼓励项"),
        Criterion("4.1", "智慧监管创新", "4", 2, "1.", points=10, units=["市市场监管局"]),
    ]
    return Catalogue("某省食品安全示范城市评价细则", rows, source="test")


@pytest.fixture(name="rules_archive")
def rules_archive_fixture(tmp_path):
    arc = create_archive(tmp_path / "规则档案.rrdb", "某某市")
    store_catalogue(arc, rules_catalogue())
    yield arc
    arc.close()


def score_all(archive, scores: dict[str, object]) -> None:
    from selfeval.scores import set_score

    for code, value in scores.items():
        set_score(archive, code, value, by="测试")


PASSING = {"1.1": "通过", "1.2": "通过", "2.1": 30, "2.2": 25, "3.1": 18, "3.2": 17, "4.1": 0}  # 90 of 100
