"""The dossier's sections around the criteria: 自评情况, the gap list (内部版 only), 未附入材料说明 and 备考表."""

from __future__ import annotations

from collections import Counter

from common.text import format_points
from exporters.attachments import LISTED_ONLY, attachment_kind, listed_only_kind
from exporters.evidence import CriterionEvidence, EvidenceSet
from exporters.model import Block, Fields, Heading, PageBreak, Paragraph, Table
from exporters.options import ExportOptions
from exporters.part_score import part_score, score_of

GAP_COLUMNS = ("编号", "评价项目", "问题", "说明")
GAP_NAMES = {"missing": "缺材料", "unreachable": "无法访问", "changed": "确认后有变更"}
KEPT_OUT = "材料均不列入汇编"  # collected, but every file is kept out: the reviewers will find the item empty
NO_UNIT = "未指定责任单位"
RULE_NAMES = {"veto": "否决项", "key": "关键项", "total": "总分"}
LEFT_OUT_COLUMNS = ("序号", "材料编号", "题名", "类型", "原因")


def selfeval_blocks(evidence: EvidenceSet, options: ExportOptions) -> list[Block]:
    """The self-evaluation: the 内部版 gives the office's projection and what keeps it from passing; the 送审版 the
    score and conclusion the city reports, and the points it took off itself. Of the whole archive, and in a dossier
    of some items only, their own score beside it."""
    data = evidence.selfeval
    if data is None or not data.projection.scoring:
        return []
    projection, internal = data.projection, options.internal
    headline = projection.headline() if internal else _submitted(projection, score_of(data.sheet.scoring_items()))
    blocks: list[Block] = [Heading(1, "自评情况", "sec-selfeval"), Paragraph(headline + "。")]
    if projection.rules:
        blocks.append(Paragraph("通过规则：" + "；".join(projection.rules) + "。"))
    if options.codes:
        blocks.append(Paragraph(_part_line(part_score(evidence))))
    if projection.blocking and internal:
        rows = [(RULE_NAMES[b.rule], b.code or "", b.title, b.detail) for b in projection.blocking]
        blocks += [Paragraph(projection.blocking_title() + "：", "small"),
                   Table(("规则", "编号", "评价项目", "情况"), rows, (0.9, 0.9, 3.0, 4.0),
                         ("center", "left", "left", "left"), font_size=9)]
    if projection.deductions:
        rows = [(code, title, format_points(round(lost, 2))) for code, title, lost in projection.deductions]
        blocks += [Paragraph(f"扣分项目（{len(rows)} 项，按扣分从多到少）：", "small"),
                   Table(("编号", "评价项目", "扣分"), rows, (1.0, 6.0, 1.0), ("left", "left", "center"), font_size=9)]
    return [*blocks, PageBreak()]


def _submitted(projection, whole) -> str:
    """The 送审版's score: not "自评总分 0 分" before any item with points is scored, which the reviewers would read
    as the city's own score (veto items judged 通过 alone add none)."""
    return f"自评总分：{whole.text()}" if whole is not None and not whole.scored else projection.submitted()


def _part_line(part) -> str:
    """A dossier of some items only: the total above is the whole archive's; what its own items scored."""
    if part is None:
        return "以上为全部评价项目。本汇编所收项目没有分值。"
    return (f"以上为全部评价项目。本汇编收录其中 {part.scoring} 个计分项目，" + ("自评得分 " if part.scored else "")
            + part.text() + "。")


def gap_rows(evidence: EvidenceSet) -> list[tuple[str, CriterionEvidence, str, str]]:
    """(responsible unit, criterion, problem name, detail) for every LEAF criterion with a gap, by lead unit."""
    rows = []
    kept_out = Counter(code for code, _file, _why in evidence.excluded)
    for item in evidence.items:
        state = item.gap()
        unit = item.criterion.units[0] if item.criterion.units else NO_UNIT
        if state:
            rows.append((unit, item, GAP_NAMES[state], _gap_detail(item, state)))
        elif item.is_leaf and not item.files and item.code in kept_out:
            rows.append((unit, item, KEPT_OUT, f"{kept_out[item.code]} 个文件均标为不列入汇编，汇编中本项目没有材料"))
    order = {unit: n for n, unit in enumerate(dict.fromkeys(r[0] for r in rows if r[0] != NO_UNIT))}
    return sorted(rows, key=lambda r: order.get(r[0], len(order)))  # stable: catalogue order within a unit


def gap_blocks(evidence: EvidenceSet) -> list[Block]:
    rows = gap_rows(evidence)
    blocks: list[Block] = [Heading(1, "缺项清单", "sec-gaps")]
    if not rows:
        return [*blocks, Paragraph("所有末级评价项目均已收集佐证材料，无缺项。")]
    counts = "，".join(f"{name} {sum(1 for r in rows if r[2] == name)} 项" for name in GAP_NAMES.values())
    if emptied := sum(1 for r in rows if r[2] == KEPT_OUT):
        counts += f"，{KEPT_OUT} {emptied} 项"
    blocks.append(Paragraph(f"共 {len(rows)} 个末级评价项目需要处理：{counts}。按牵头（责任）单位列出。"))
    by_unit: dict[str, list] = {}
    for unit, item, problem, detail in rows:
        by_unit.setdefault(unit, []).append((item.code, item.criterion.title, problem, detail))
    for number, (unit, entries) in enumerate(by_unit.items(), start=1):
        blocks += [Heading(2, f"{unit}（{len(entries)} 项）", f"gap-{number}"),
                   Table(GAP_COLUMNS, entries, (1.0, 3.6, 1.4, 4.0), ("left", "left", "center", "left"), font_size=9)]
    return blocks


def excluded_blocks(evidence: EvidenceSet) -> list[Block]:
    """The 内部版's list of the files the clerk kept out (不列入汇编), with who and why: the 送审版 never names them."""
    if not evidence.excluded:
        return []
    rows = [(code, f.rel, why) for code, f, why in evidence.excluded]
    return [Heading(1, f"不列入汇编的文件（{len(rows)} 个）", "sec-excluded"),
            Paragraph("以下文件在关联的文件夹中，但标为“不列入汇编”，未编号、未附入本汇编和送审版。", "small"),
            Table(("编号", "文件", "标记人、日期和原因"), rows, (1.0, 5.5, 3.5), ("left", "left", "left"), font_size=9)]


def _gap_detail(item: CriterionEvidence, state: str) -> str:
    parts = []
    if state == "unreachable":
        parts.append("关联的文件夹或文件无法访问：" + "、".join(item.unreachable or ["（子项）"]))
    elif state == "changed":
        conf = item.status.confirmation
        parts.append(f"{conf.by or '（未署名）'} 于 {conf.time} 确认后材料有变更" if conf
                     else "上级项目确认后材料有变更")
    else:
        parts.append("暂无佐证材料")
        if item.criterion.evidence:
            parts.append(f"应提供：{item.criterion.evidence}")
    if len(item.criterion.units) > 1:
        parts.append("配合单位：" + "、".join(item.criterion.units[1:]))
    return "；".join(parts)


def left_out(evidence: EvidenceSet, options: ExportOptions, pages: dict[str, int] | None) -> list[tuple]:
    """(file, why) for every listed file whose content this dossier does not carry, once per file."""
    from exporters.build_criterion import included

    if options.catalogue_only:
        return []
    rows, seen = [], set()
    for item in evidence.items:
        for f in item.files:
            if f.id in seen or f.same_as or included(f, options, pages):
                continue  # a later copy is carried, or not, as its first copy
            kind = attachment_kind(f.type)
            if pages is None and kind != "image" and not (f.problem or f.sha256 is None):
                continue  # Word carries no attached pages: the 编制说明 says so once
            seen.add(f.id)
            why = f.problem or f.export_problem or ("未能读取" if f.sha256 is None else _cannot_attach(f.type))
            rows.append((f, why))
    return rows


def _cannot_attach(file_type: str) -> str:
    """What the reviewers read of a file no dossier carries: what it is (the way to carry it is the office's)."""
    return listed_only_kind(file_type)[0] if file_type in LISTED_ONLY else "此类型的文件无法附入"


def not_included_blocks(evidence: EvidenceSet, options: ExportOptions, pages) -> list[Block]:
    rows = left_out(evidence, options, pages)
    if not rows:
        return []
    table = [(str(n), f.number, evidence.describe(f).title, f.type.upper(), why)
             for n, (f, why) in enumerate(rows, start=1)]
    return [PageBreak(), Heading(1, "未附入材料说明", "sec-left-out"),
            Paragraph(f"以下 {len(rows)} 件材料列入了佐证材料目录，但未能附入原文，原件可另行查阅。"),
            Table(LEFT_OUT_COLUMNS, table, (0.6, 1.4, 4.0, 0.8, 3.2), ("center", "left", "left", "center", "left"),
                  font_size=9)]


def closing_blocks(evidence: EvidenceSet, options: ExportOptions, date: str, left: int) -> list[Block]:
    """备考表 (DA/T 22-2015): what the binder holds, who put it together and when; checker left to sign."""
    leaves = sum(1 for item in evidence.items if item.is_leaf)
    note = (f"本汇编收录评价项目 {len(evidence.items)} 项（末级项目 {leaves} 项），佐证材料 "
            f"{len(evidence.unique_files())} 件。")
    if options.catalogue_only:
        note += "本版本只含目录，未附材料原文。"
    elif left:
        note += f"其中 {left} 件未附入原文，见“未附入材料说明”。"
    items = (("情况说明", note), ("整理人", options.compiler or " "), ("整理日期", date), ("检查人", " "),
             ("检查日期", " "))
    return [PageBreak(), Heading(1, "备考表", "sec-closing"), Fields(items)]
