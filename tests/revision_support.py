"""A realistic catalogue for the revision tests, and ways to revise it the way offices receive revised tables:
rows deleted or inserted with the rows below renumbered, items reworded, two items merged."""

from __future__ import annotations

from criteria.model import Catalogue, Criterion

# (title, rule) of the leaves under each group, deliberately sharing the boilerplate real tables share
GROUPS = {
    "组织领导": [
        ("成立创建工作领导小组", "查阅文件，未成立领导小组的扣2分"),
        ("乡镇食品安全协管员配备到位", "查阅花名册，每缺一个乡镇扣0.5分"),
        ("开展食品安全应急演练", "查阅演练方案和照片，未开展的扣2分"),
        ("组织食品安全宣传周活动", "查阅活动资料，未组织的扣1分"),
    ],
    "防范风险隐患": [
        ("农药残留快速检测", "查阅检测台账，未开展的扣2分"),
        ("兽药残留快速检测", "查阅检测台账，未开展的扣2分"),
        ("校园食堂明厨亮灶", "现场检查，未实现的每所扣0.5分"),
    ],
}


def catalogue_from(groups: dict[str, list[tuple[str, str]]], title: str = "评价细则") -> Catalogue:
    """Codes numbered the way the table prints them: group n, items n.1, n.2 … in order."""
    rows = []
    for number, (group, items) in enumerate(groups.items(), start=1):
        rows.append(Criterion(str(number), group, None, 1, f"{number}、"))
        for sub, (item, rule) in enumerate(items, start=1):
            rows.append(Criterion(f"{number}.{sub}", item, str(number), 2, f"{number}.{sub}", points=5, rule=rule,
                                  units=["县市场监管局"]))
    return Catalogue(title, rows, source="test")


def base_catalogue() -> Catalogue:
    return catalogue_from(GROUPS)


def revised(edit) -> Catalogue:
    """The base table with `edit(groups)` applied to a copy, renumbered as a revised table would be."""
    groups = {name: list(items) for name, items in GROUPS.items()}
    edit(groups)
    return catalogue_from(groups, "评价细则（修订）")


def titles(catalogue: Catalogue) -> dict[str, str]:
    return {c.title: c.code for c in catalogue.criteria}
