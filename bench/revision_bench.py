"""Revision benchmark (issue 15 target: a revision plan for 300 items against 300 in under 1 s). Run by hand:

    python bench/revision_bench.py [--items 300] [--runs 5] [--root /tmp/rr-revision-bench]

A 300-item catalogue in realistic wording (12 parts, verbs and objects drawn from real 评价细则, a boilerplate rule
per item) against four revised tables:
- unchanged: the same table again;
- typical: 3 rows deleted, 3 inserted, 15 items reworded, 2 pairs merged, 2 rows swapped (most codes below move);
- all reworded: every item's title and rule reworded, so no text matches exactly and every pair is compared;
- other table: a table in other words (every item removed, every item new; the same 12 part headings).
For each: the pure plan (criteria.revision.plan_revision), the archive's plan (plan_for_archive: reads the catalogue,
its links and scores, one linked folder per item), and applying it in one transaction (apply_revision) on a fresh
copy of the archive; the best of --runs is reported with the median in brackets.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive.catalogue import store_catalogue  # noqa: E402
from archive.confirm import confirm  # noqa: E402
from archive.db import create_archive, open_archive  # noqa: E402
from archive.index.scan import scan  # noqa: E402
from archive.links import link  # noqa: E402
from archive.revision import apply_revision, plan_for_archive  # noqa: E402
from bench.timing import best_of, load  # noqa: E402
from criteria.model import Catalogue, Criterion  # noqa: E402
from criteria.revision import plan_revision  # noqa: E402

PARTS = ("组织领导", "能力建设", "监督管理", "风险防控", "源头治理", "生产加工", "流通经营", "餐饮服务", "校园食品",
         "宣传教育", "社会共治", "应急处置")
VERBS = ("建立", "开展", "落实", "完善", "推进", "加强", "健全", "组织", "实施", "规范")
SUBJECTS = ("农贸市场", "校园食堂", "冷链食品", "餐饮单位", "小作坊", "网络订餐", "乡镇协管员", "集体聚餐",
            "肉菜超市", "配送单位", "屠宰场", "保健食品", "乳粉经营", "小卖部", "批发市场", "食用农产品",
            "餐厨废弃物", "检验机构", "养老机构食堂", "旅游景区", "学校周边", "进口食品", "白酒作坊", "豆制品",
            "食用油", "小餐饮", "网红食品", "节日市场", "婚宴厨师", "医院食堂")
OBJECTS = ("快检室建设", "明厨亮灶改造", "追溯平台应用", "入网审核", "日常监督检查", "抽检监测", "信用档案",
           "投诉举报处理", "责任保险试点", "示范创建", "从业人员培训", "风险隐患排查", "专项整治行动")
OTHER_SUBJECTS = ("县级财政", "市场主体", "基层所", "执法队伍", "检测车", "农村市场", "集中交易市场", "中央厨房",
                  "外卖骑手", "直播带货", "社区团购", "自动售货机", "食品摊贩", "流动餐车", "商超")
OTHER_OBJECTS = ("经费投入", "标准化建设", "绩效考核", "装备配置", "数据共享", "双随机抽查", "智慧监管", "包保责任",
                 "满意度调查", "知晓率测评", "案件查办", "舆情监测", "联合惩戒", "科普基地", "志愿服务", "第三方评估",
                 "等级评定", "备案管理", "准入把关", "退出机制")
RULE = "查阅{thing}相关资料并现场抽查，未{verb}的扣{points}分，{detail}不到位的每处扣0.5分。"
DETAILS = ("台账记录", "制度公示", "人员配备", "经费保障", "整改落实", "信息报送")


def catalogue(rng: random.Random, items: int, title: str = "评价细则", other: bool = False) -> Catalogue:
    subjects, objects = (OTHER_SUBJECTS, OTHER_OBJECTS) if other else (SUBJECTS, OBJECTS)
    pairs = [(s, o) for s in subjects for o in objects]
    rng.shuffle(pairs)
    per_part = max(1, (items - len(PARTS)) // len(PARTS))
    rows = []
    for p, part in enumerate(PARTS, start=1):
        rows.append(Criterion(str(p), part, None, 1))
        for n in range(1, per_part + 1):
            subject, thing = pairs[len(rows) % len(pairs)]
            verb = rng.choice(VERBS)
            rows.append(Criterion(f"{p}.{n}", f"{verb}{subject}{thing}", str(p), 2, points=rng.choice((2, 3, 4)),
                                  rule=RULE.format(thing=subject + thing, verb=verb, points=rng.choice((1, 2)),
                                                   detail=rng.choice(DETAILS))))
    return Catalogue(title, rows, source="bench")


def renumbered(groups: dict[str, list[Criterion]]) -> Catalogue:
    rows = []
    for p, (part, items) in enumerate(groups.items(), start=1):
        rows.append(Criterion(str(p), part, None, 1))
        rows += [Criterion(f"{p}.{n}", c.title, str(p), 2, points=c.points, rule=c.rule)
                 for n, c in enumerate(items, start=1)]
    return Catalogue("评价细则（修订）", rows, source="bench")


def grouped(base: Catalogue) -> dict[str, list[Criterion]]:
    parts = {c.code: c.title for c in base.criteria if c.parent is None}
    groups: dict[str, list[Criterion]] = {title: [] for title in parts.values()}
    for crit in base.criteria:
        if crit.parent:
            groups[parts[crit.parent]].append(Criterion(crit.code, crit.title, rule=crit.rule, points=crit.points))
    return groups


def reword(crit: Criterion, rng: random.Random) -> None:
    crit.title = rng.choice(("全面", "扎实", "持续")) + crit.title + rng.choice(("工作", "情况", ""))
    crit.rule = crit.rule.replace("现场抽查", "实地核查").replace("每处", "每项")


def typical(base: Catalogue, rng: random.Random) -> Catalogue:
    groups = grouped(base)
    names = list(groups)
    for _ in range(3):
        items = groups[rng.choice(names)]
        items.pop(rng.randrange(len(items)))
    for n in range(3):
        groups[rng.choice(names)].insert(0, Criterion("", f"新增{SUBJECTS[n]}专项评价内容第{n + 1}项", rule="查阅资料"))
    everything = [c for items in groups.values() for c in items]
    for crit in rng.sample(everything, 15):
        reword(crit, rng)
    for name in names[:2]:  # two neighbours merged into one
        first, second = groups[name][0], groups[name].pop(1)
        first.title = first.title + "和" + second.title[2:]
    items = groups[names[5]]
    items[2], items[3] = items[3], items[2]
    return renumbered(groups)


def all_reworded(base: Catalogue, rng: random.Random) -> Catalogue:
    groups = grouped(base)
    for items in groups.values():
        for crit in items:
            reword(crit, rng)
    return renumbered(groups)


def make_archive(folder: Path, base: Catalogue) -> Path:
    """The base catalogue with one linked folder (two files) per item, every tenth item confirmed."""
    folder.mkdir(parents=True)
    path = folder / "基准.rrdb"
    with create_archive(path, "某某县") as archive:
        store_catalogue(archive, base)
        for crit in base.criteria:
            target = folder / "证明材料" / crit.code
            target.mkdir(parents=True)
            for n in range(2):
                (target / f"材料{n}.txt").write_text(f"{crit.code} {n}", encoding="utf-8")
            link(archive, crit.code, [str(target)])
        scan(archive)
        for crit in base.criteria[::10]:
            confirm(archive, crit.code, by="基准")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", default="/tmp/rr-revision-bench")
    args = parser.parse_args()
    rng = random.Random(15)
    base = catalogue(rng, args.items)
    root = Path(args.root)
    shutil.rmtree(root, ignore_errors=True)
    master = make_archive(root / "master", base)
    scenarios = {"unchanged": catalogue(random.Random(15), args.items), "typical": typical(base, rng),
                 "all reworded": all_reworded(base, rng),
                 "other table": catalogue(random.Random(99), args.items, other=True)}
    print(f"{len(base.criteria)} items against: (best of {args.runs}, median in brackets; load {load()})")
    for name, revised in scenarios.items():
        pure = best_of(args.runs, lambda r=revised: plan_revision(base.criteria, r.criteria))
        counts = {k: v for k, v in pure.result.counts().items() if v}
        with open_archive(master) as archive:
            on_archive = best_of(args.runs, lambda r=revised, a=archive: plan_for_archive(a, r))
        applies = []
        for run in range(args.runs):
            copy = root / f"{name}-{run}.rrdb"
            shutil.copy(master, copy)
            with open_archive(copy) as archive:
                plan = plan_for_archive(archive, revised)
                start = time.perf_counter()
                apply_revision(archive, revised, plan)
                applies.append(time.perf_counter() - start)
        print(f"- {name} ({len(revised.criteria)} items; {counts}; links moving {plan.links_moved()}): "
              f"plan {pure.best:.3f} s ({pure.median:.3f}; CPU {pure.best_cpu:.3f} s), plan on the archive "
              f"{on_archive.best:.3f} s ({on_archive.median:.3f}; CPU {on_archive.best_cpu:.3f} s), "
              f"apply {min(applies):.3f} s ({statistics.median(applies):.3f})")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
