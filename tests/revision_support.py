"""A realistic catalogue for the revision tests, and ways to revise it the way offices receive revised tables:
rows deleted or inserted with the rows below renumbered, items reworded, two items merged."""

from __future__ import annotations

from hypothesis import strategies as st

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


# --- generated revisions: distinct items, edited the ways tables are ------------------------------------------

OBJECTS = ("农贸市场快检室建设", "校园食堂明厨亮灶", "冷链食品追溯平台", "餐饮油烟净化设施", "小作坊集中加工区",
           "网络订餐入网审核", "乡镇协管员队伍", "应急演练预案修订", "放心肉菜示范超市", "集体用餐配送单位",
           "农药兽药残留抽检", "责任保险试点", "进口冷链消毒登记", "学校周边小卖部", "合格证开具", "餐厨废弃物收运",
           "信用档案归集", "投诉举报处理机制", "宣传周主题活动", "示范街区创建", "检验检测机构能力",
           "畜禽屠宰场监管", "保健品虚假宣传整治", "婴幼儿配方乳粉", "农村集体聚餐备案", "大型活动餐饮保障")
VERBS = ("建立", "开展", "落实", "完善", "推进")
REWORDINGS = (lambda t: "全面" + t, lambda t: t + "工作", lambda t: VERBS[(VERBS.index(t[:2]) + 1) % 5] + t[2:])


@st.composite
def revisions(draw):
    size = draw(st.integers(4, 14))
    chosen = draw(st.permutations(range(len(OBJECTS))))
    items = [(n, f"{draw(st.sampled_from(VERBS))}{OBJECTS[n]}") for n in chosen[:size]]
    spare = list(chosen[size:])
    before = list(items)
    reworded = set()
    for _ in range(draw(st.integers(0, 6))):
        action = draw(st.sampled_from(["delete", "insert", "swap", "reword"]))
        if action == "delete" and len(items) > 1:
            items.pop(draw(st.integers(0, len(items) - 1)))
        elif action == "insert" and spare:
            n = spare.pop()
            items.insert(draw(st.integers(0, len(items))), (n, f"{draw(st.sampled_from(VERBS))}{OBJECTS[n]}"))
        elif action == "swap" and len(items) > 1:
            i = draw(st.integers(0, len(items) - 2))
            items[i], items[i + 1] = items[i + 1], items[i]
        elif action == "reword":
            i = draw(st.integers(0, len(items) - 1))
            n, title = items[i]
            if n not in reworded and any(n == m for m, _ in before):
                items[i] = (n, draw(st.sampled_from(REWORDINGS))(title))
                reworded.add(n)
    return before, items, reworded


def as_criteria(items: list[tuple[int, str]]) -> list[Criterion]:
    rows = [Criterion("1", "重点工作", None, 1)]
    rows += [Criterion(f"1.{i}", title, "1", 2, rule="查阅相关资料，未落实的扣2分")
             for i, (_, title) in enumerate(items, start=1)]
    return rows
