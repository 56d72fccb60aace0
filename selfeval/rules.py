"""Pass rules per catalogue and the projected result of the self-evaluation (预计结果).

Default rules, after the provincial rules in use: no veto item (否决项) triggered; every key item (关键项) scored at
60 % of its points or more; a total of at least 90 % of the base points (90 of 100 when the base is 100). The base
is the points of every scoring item except bonus items (鼓励项/加分项), whose points add to the total on top.

The projection counts an unscored item as 0 points (it is not yet earned) and lists it as holding the result back
where a rule needs it; an unscored veto item is not counted as triggered. While scoring is under way that makes
every projection 不通过, which tells the clerk nothing: a result held back only by unscored items (the total could
still be reached with full marks on them, each unscored key item still to be scored) is "unfinished", said as 尚未评完;
one that no score still to come can save (a veto, a key item scored too low, points already lost beyond the
threshold) stays 不通过. A catalogue without points gives "无法测算". Rules are stored as JSON in the archive's
meta ("pass_rules"): each archive (one catalogue) keeps its own.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from archive.assignments import KEY
from archive.db import Archive
from common.errors import UserError
from common.text import format_points
from selfeval.sheet import Sheet, SheetItem, load_sheet

PASS, FAIL, UNKNOWN = "通过", "不通过", "无法测算"
UNFINISHED = "尚未评完"  # said, never stored: a FAIL that only unscored items hold back
META_KEY = "pass_rules"


@dataclass
class PassRules:
    veto: bool = True  # no veto item may be triggered
    key_ratio: float | None = 0.6  # each key item at least this share of its points; None: no key rule
    total_ratio: float | None = 0.9  # total at least this share of the base points; None: no total rule
    total_points: float | None = None  # or an absolute threshold in points (takes precedence over the ratio)

    def threshold(self, base: float) -> float | None:
        if self.total_points is not None:
            return self.total_points
        return None if self.total_ratio is None else round(base * self.total_ratio, 4)

    def describe(self, base: float) -> list[str]:
        lines = []
        if self.veto:
            lines.append("无否决项被否决")
        if self.key_ratio is not None:
            lines.append(f"每个关键项得分不低于其分值的 {self.key_ratio * 100:g}%")
        threshold = self.threshold(base)
        if threshold is not None:
            share = ("" if self.total_points is not None
                     else f"，即满分 {format_points(base)} 分的 {self.total_ratio * 100:g}%")
            lines.append(f"总分不低于 {format_points(threshold)} 分{share}")
        return lines

    def check(self) -> None:
        for name, value in (("关键项得分率", self.key_ratio), ("总分比例", self.total_ratio)):
            if value is not None and not 0 <= value <= 1:
                raise UserError(f"{name}应在 0 到 100% 之间：{value * 100:g}%")
        if self.total_points is not None and self.total_points < 0:
            raise UserError(f"总分线不能为负数：{format_points(self.total_points)}")


def load_rules(archive: Archive) -> PassRules:
    text = archive.meta(META_KEY)
    if not text:
        return PassRules()
    data = json.loads(text)
    known = {k: data[k] for k in PassRules.__dataclass_fields__ if k in data}
    return PassRules(**known)


def save_rules(archive: Archive, rules: PassRules) -> None:
    rules.check()
    archive.set_meta(META_KEY, json.dumps(asdict(rules), ensure_ascii=False))


@dataclass
class Blocker:
    rule: str  # veto | key | total
    code: str | None  # None for the total
    title: str
    detail: str
    pending: bool = False  # held back only by items not scored yet: scoring them may lift it

    def to_json(self) -> dict:
        return asdict(self)

    def line(self) -> str:
        return f"{self.code} {self.title}：{self.detail}" if self.code else f"{self.title}：{self.detail}"


@dataclass
class Projection:
    result: str  # 通过 / 不通过 / 无法测算
    total: float  # points earned, bonus included
    base: float  # points of the non-bonus scoring items
    bonus: float  # points available from bonus items
    threshold: float | None
    scored: int
    scoring: int
    rules: list[str]
    blocking: list[Blocker] = field(default_factory=list)
    deductions: list[tuple[str, str, float]] = field(default_factory=list)  # (code, title, points lost), largest first
    reachable: float = 0.0  # the total with full marks on every item not scored yet

    @property
    def unfinished(self) -> bool:
        """不通过 only because items are not scored yet: full marks on them would pass."""
        return self.result == FAIL and all(b.pending for b in self.blocking)

    @property
    def verdict(self) -> str:
        """The result as said to the clerk: 通过, 不通过, 尚未评完 or 无法测算."""
        return UNFINISHED if self.unfinished else self.result

    def to_json(self) -> dict:
        return {"projected": self.result, "unfinished": self.unfinished, "total": self.total,
                "reachable": self.reachable, "base": self.base, "bonus": self.bonus, "threshold": self.threshold,
                "scored": self.scored, "scoring": self.scoring, "rules": self.rules,
                "blocking": [b.to_json() for b in self.blocking]}

    def blocking_title(self) -> str:
        """The heading over the list of blockers: while scoring is unfinished, they hold the result back only
        because they are not scored yet."""
        if self.unfinished:
            return f"尚未评分、暂时影响通过的项目（{len(self.blocking)} 项）"
        return f"影响通过的项目（{len(self.blocking)} 项）"

    def headline(self) -> str:
        if self.result == UNKNOWN:
            return "预计结果：无法测算（评价目录中没有分值）"
        return f"预计结果：{self.verdict}。{self.progress()}"

    def progress(self) -> str:
        """自评总分 2.5 分（满分 100 分），已评分 1/41 项，40 项未评分（…）: the headline after its verdict."""
        unscored = self.scoring - self.scored
        rest = ""
        if unscored:
            rest = (f"，{unscored} 项未评分（都得满分则总分 {format_points(round(self.reachable, 2))} 分）"
                    if self.unfinished else f"，{unscored} 项未评分（按 0 分计）")
        return f"{self._score()}，已评分 {self.scored}/{self.scoring} 项{rest}"

    def submitted(self) -> str:
        """The self-evaluation as the city reports it to the review team (送审版): its score, and its conclusion
        once every item is scored; not the office's own progress (已评分 n/m) or its projection while scoring."""
        text = self._score()
        if self.result != UNKNOWN and self.scored == self.scoring:
            text += f"。对照通过规则，自评结论：{'达到' if self.result == PASS else '未达到'}通过标准"
        return text

    def _score(self) -> str:
        """自评总分 80 分（满分 100 分，另有加分 10 分）: the headline's and the 送审版's alike."""
        bonus = f"，另有加分 {format_points(self.bonus)} 分" if self.bonus else ""
        return f"自评总分 {format_points(round(self.total, 2))} 分（满分 {format_points(self.base)} 分{bonus}）"


def project(sheet: Sheet, rules: PassRules) -> Projection:
    items = sheet.scoring_items()
    base = sum(i.maximum or 0.0 for i in items if not i.is_bonus)
    bonus = sum(i.maximum or 0.0 for i in items if i.is_bonus)
    total = round(sum(i.score.points for i in items if i.score is not None and i.score.points is not None), 4)
    threshold = rules.threshold(base)
    reachable = round(total + sum(i.maximum or 0.0 for i in items if i.score is None), 4)
    projection = Projection(UNKNOWN, total, base, bonus, threshold, sum(1 for i in items if i.score), len(items),
                            rules.describe(base), reachable=reachable)
    if not items or (base == 0 and not any(i.is_veto for i in items)):
        return projection
    if rules.veto:
        projection.blocking += [Blocker("veto", i.code, i.criterion.title, "否决项未通过") for i in items
                                if i.is_veto and i.veto_failed]
    if rules.key_ratio is not None:
        projection.blocking += [b for i in items if i.kind == KEY and (b := _key_blocker(i, rules.key_ratio))]
    if threshold is not None and total < threshold:
        projection.blocking.append(_total_blocker(projection, threshold))
    projection.deductions = sorted(((i.code, i.criterion.title, i.lost) for i in items if i.lost > 0),
                                   key=lambda d: -d[2])
    projection.result = FAIL if projection.blocking else PASS
    return projection


def _total_blocker(projection: Projection, threshold: float) -> Blocker:
    total, reachable = projection.total, projection.reachable
    unscored = projection.scoring - projection.scored
    rest = f"；其中 {unscored} 项未评分，按 0 分计" if unscored else ""
    if unscored and reachable + 1e-9 < threshold:
        rest += f"；已扣分过多，其余项目全部满分也只有 {format_points(round(reachable, 2))} 分"
    detail = (f"{format_points(round(total, 2))} 分，低于 {format_points(threshold)} 分"
              f"（差 {format_points(round(threshold - total, 2))} 分{rest}）")
    return Blocker("total", None, "总分", detail, pending=bool(unscored) and reachable + 1e-9 >= threshold)


def _key_blocker(item: SheetItem, ratio: float) -> Blocker | None:
    if item.maximum is None:
        return None
    need = item.maximum * ratio
    title = item.criterion.title
    if item.score is None:
        return Blocker("key", item.code, title, f"关键项未评分（需不低于 {format_points(round(need, 2))} 分）",
                       pending=True)
    points = item.score.points or 0.0
    if points + 1e-9 < need:
        return Blocker("key", item.code, title, f"关键项得 {format_points(points)} 分，低于其分值 "
                       f"{format_points(item.maximum)} 分的 {ratio * 100:g}%（{format_points(round(need, 2))} 分）")
    return None


def projection_for(archive: Archive) -> Projection:
    return project(load_sheet(archive), load_rules(archive))
