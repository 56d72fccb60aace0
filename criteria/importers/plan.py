"""The import plan: everything an import would do, shown before anything is written.

Which sheets or tables were read (and which skipped, and why), the role of every column and the header text it came
from, the rows skipped and why, the resulting tree, totals and warnings. The CLI prints it (--preview writes
nothing), the app shows it with a drop-down over every column; `catalogue` is what gets stored once it is accepted,
and what a revision step compares with the archive's current catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from criteria.importers.roles import Column
from criteria.model import Catalogue, Criterion, leaf_criteria


@dataclass
class Part:
    where: str  # "工作表“Sheet1”", "表格 2", or "" for a CSV
    status: str  # "read", "continued" (no header of its own: the previous one applies) or "skipped"
    reason: str = ""  # why it was skipped
    header_rows: list[int] = field(default_factory=list)  # 1-based rows of its header
    columns: list[Column] = field(default_factory=list)
    nodes: int = 0  # criteria read from it

    def to_dict(self) -> dict:
        return {"where": self.where, "status": self.status, "reason": self.reason, "header_rows": self.header_rows,
                "columns": [c.to_dict() for c in self.columns], "criteria": self.nodes}


@dataclass
class SkippedRow:
    where: str
    row: int
    text: str
    reason: str

    def to_dict(self) -> dict:
        return {"where": self.where, "row": self.row, "text": self.text, "reason": self.reason}


@dataclass
class PlanWarning:
    kind: str  # "group_points", "total", "duplicate_code", "no_text", "skipped_part", "points_from_text", ...
    message: str  # Chinese, says what and where
    code: str | None = None

    def to_dict(self) -> dict:
        return {"kind": self.kind, "message": self.message, "code": self.code}


@dataclass
class ImportPlan:
    file_name: str
    catalogue: Catalogue
    parts: list[Part] = field(default_factory=list)
    skipped_rows: list[SkippedRow] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    points_from_text: set[str] = field(default_factory=set)  # codes whose points were read from their text
    stated_totals: list[tuple[float, str]] = field(default_factory=list)  # (points, where the document says so)
    blank_rows: int = 0
    undated: list[tuple[str, str, str]] = field(default_factory=list)  # (where, 完成时限 text, duedates problem)

    @property
    def columns(self) -> list[Column]:
        """The columns of the first part read (the drop-downs of the app show these)."""
        return next((p.columns for p in self.parts if p.status == "read"), [])

    def warn(self, kind: str, message: str, code: str | None = None) -> None:
        self.warnings.append(PlanWarning(kind, message, code))

    def totals(self) -> dict:
        crits = self.catalogue.criteria
        return {"criteria": len(crits), "top": sum(1 for c in crits if c.parent is None),
                "leaves": len(leaf_criteria(crits)), "points": total_points(crits),
                "stated": [value for value, _ in self.stated_totals]}

    def summary(self) -> str:
        """One sentence of the counts, for the command line and the app's preview alike."""
        totals = self.totals()
        text = f"共 {totals['criteria']} 个评价项目（一级 {totals['top']} 项，末级 {totals['leaves']} 项）"
        if totals["points"] is not None:
            text += f"，分值合计 {totals['points']:g} 分"
        if totals["stated"]:
            text += "，文件写明总分 " + "、".join(f"{v:g}" for v in totals["stated"]) + " 分"
        return text

    def to_dict(self) -> dict:
        return {
            "file": self.file_name, "title": self.catalogue.title,
            "parts": [p.to_dict() for p in self.parts],
            "columns": [c.to_dict() for c in self.columns],
            "mapping": self.mapping,
            "skipped_rows": [r.to_dict() for r in self.skipped_rows],
            "blank_rows": self.blank_rows,
            "criteria": [{**c.to_dict(), "points_from_text": c.code in self.points_from_text}
                         for c in self.catalogue.criteria],
            "totals": self.totals(),
            "warnings": [w.to_dict() for w in self.warnings],
        }

    def lines(self, tree: bool = True) -> list[str]:
        """The plan as the CLI prints it."""
        from criteria.importers.plantext import plan_lines

        return plan_lines(self, tree)


def effective_points(crits: list[Criterion]) -> dict[str, float | None]:
    """Each criterion's own points, else the sum of its children's (None when nothing below has points)."""
    sums: dict[str, float] = {}
    out: dict[str, float | None] = {}
    for crit in reversed(crits):  # children come after their parents
        value = crit.points if crit.points is not None else sums.get(crit.code)
        out[crit.code] = value
        if value is not None and crit.parent is not None:
            sums[crit.parent] = sums.get(crit.parent, 0.0) + value
    return out


def total_points(crits: list[Criterion]) -> float | None:
    points = effective_points(crits)
    top = [points[c.code] for c in crits if c.parent is None and points[c.code] is not None]
    return sum(top) if top else None
