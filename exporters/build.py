"""Turn an archive into the format-neutral Dossier: cover, catalogue, summary, gaps, criteria, appendix.

Everything here reads the archive only. The order of blocks is the order of the printed dossier.
"""

from __future__ import annotations

from archive.db import Archive
from archive.status import STATE_NAMES
from common.text import chinese_date, format_points, format_size
from exporters.appendix import appendix_blocks
from exporters.attachments import attachment_kind
from exporters.evidence import CriterionEvidence, EvidenceSet, collect
from exporters.model import (
    Attachment,
    Block,
    Cover,
    Dossier,
    Fields,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Table,
    TocPlaceholder,
)
from exporters.options import ExportOptions

SUMMARY_COLUMNS = ("编号", "评价项目", "分值", "测评方式", "责任单位", "状态", "文件数")
EVIDENCE_COLUMNS = ("序号", "题名", "日期", "页数", "类型", "大小", "备注")
GAP_COLUMNS = ("编号", "评价项目", "问题", "说明")
GAP_NAMES = {"missing": "缺材料", "unreachable": "无法访问", "changed": "确认后有变更"}
NO_UNIT = "未指定责任单位"


def build_dossier(archive: Archive, options: ExportOptions, evidence: EvidenceSet | None = None) -> Dossier:
    evidence = evidence or collect(archive, options.codes)
    generated = options.generated_time()
    cover = Cover(options.title, archive.title, options.stage, options.compiler, chinese_date(generated),
                  _status_summary(evidence))
    header = " ".join(part for part in (archive.title, options.title) if part)
    blocks: list[Block] = [PageBreak(), TocPlaceholder(), PageBreak()]
    blocks += _summary(evidence)
    blocks += [PageBreak(), *_gaps(evidence)]
    for item in evidence.items:
        blocks += _criterion(item, options.catalogue_only)
    blocks += appendix_blocks(archive, evidence, options, generated)
    return Dossier(cover, header, generated, blocks)


def _status_summary(evidence: EvidenceSet) -> list[tuple[str, str]]:
    counts = {state: 0 for state in STATE_NAMES}
    for item in evidence.items:
        counts[item.status.state] += 1
    files = evidence.unique_files()
    lines = [("评价项目", f"{len(evidence.items)} 项")]
    lines += [(STATE_NAMES[state], f"{counts[state]} 项") for state in STATE_NAMES]
    lines.append(("佐证材料", f"{len(files)} 个文件，{format_size(sum(f.size for f in files))}"))
    return lines


def _summary(evidence: EvidenceSet) -> list[Block]:
    rows = []
    for item in evidence.items:
        crit = item.criterion
        rows.append((crit.code, crit.title, format_points(crit.points), crit.method, "、".join(crit.units),
                     STATE_NAMES[item.status.state], str(item.status.files)))
    table = Table(SUMMARY_COLUMNS, rows, (1.0, 4.2, 0.8, 1.3, 2.2, 1.4, 0.9),
                  ("left", "left", "center", "center", "left", "center", "right"))
    note = "状态为各项目及其子项材料的汇总：缺材料、无法访问、确认后有变更的项目见缺项清单。"
    return [Heading(1, "评价项目汇总表", "sec-summary"), Paragraph(note, "small"), table]


def gap_rows(evidence: EvidenceSet) -> list[tuple[str, CriterionEvidence, str, str]]:
    """(responsible unit, criterion, problem name, detail) for every gap, grouped by the lead unit."""
    rows = []
    for item in evidence.items:
        state = item.gap()
        if state:
            unit = item.criterion.units[0] if item.criterion.units else NO_UNIT
            rows.append((unit, item, GAP_NAMES[state], _gap_detail(item, state)))
    order = {unit: n for n, unit in enumerate(dict.fromkeys(r[0] for r in rows if r[0] != NO_UNIT))}
    return sorted(rows, key=lambda r: order.get(r[0], len(order)))  # stable: catalogue order within a unit


def _gaps(evidence: EvidenceSet) -> list[Block]:
    rows = gap_rows(evidence)
    blocks: list[Block] = [Heading(1, "缺项清单", "sec-gaps")]
    if not rows:
        return [*blocks, Paragraph("所有评价项目均已收集佐证材料，无缺项。")]
    counts = "，".join(f"{name} {sum(1 for r in rows if r[2] == name)} 项" for name in GAP_NAMES.values())
    blocks.append(Paragraph(f"共 {len(rows)} 项需要处理：{counts}。按牵头（责任）单位列出。", "note"))
    by_unit: dict[str, list] = {}
    for unit, item, problem, detail in rows:
        by_unit.setdefault(unit, []).append((item.code, item.criterion.title, problem, detail))
    for number, (unit, entries) in enumerate(by_unit.items(), start=1):
        blocks += [Heading(2, f"{unit}（{len(entries)} 项）", f"gap-{number}"),
                   Table(GAP_COLUMNS, entries, (1.0, 3.6, 1.4, 4.0), ("left", "left", "center", "left"))]
    return blocks


def _gap_detail(item: CriterionEvidence, state: str) -> str:
    parts = []
    if state == "unreachable":
        parts.append("关联的文件夹或文件无法访问：" + "、".join(item.unreachable or ["（子项）"]))
    elif state == "changed":
        conf = item.status.confirmation
        parts.append(f"{conf.by or '（未署名）'} 于 {conf.time} 确认后材料有变更" if conf else "子项确认后材料有变更")
    else:
        parts.append("暂无佐证材料")
        if item.criterion.evidence:
            parts.append(f"应提供：{item.criterion.evidence}")
    if len(item.criterion.units) > 1:
        parts.append("配合单位：" + "、".join(item.criterion.units[1:]))
    return "；".join(parts)


def _criterion(item: CriterionEvidence, catalogue_only: bool) -> list[Block]:
    crit = item.criterion
    blocks: list[Block] = [PageBreak()] if item.level == 1 else []
    blocks += [Heading(item.level, f"{crit.code} {crit.title}", f"c-{crit.code}"), Fields(_fields(item))]
    if item.unreachable:
        blocks.append(Paragraph("关联的文件夹或文件无法访问：" + "、".join(item.unreachable)
                                + "。以下为上次扫描时的材料，请恢复访问后重新扫描。", "note"))
    if not item.files:
        if item.is_leaf:
            blocks.append(Paragraph("本项暂无佐证材料。", "note"))
        return blocks
    rows = [(f.number, f.title, f.date, "" if f.pages is None else str(f.pages), f.type.upper(), format_size(f.size),
             f.remark()) for f in item.files]
    blocks.append(Table(EVIDENCE_COLUMNS, rows, (1.3, 3.5, 1.35, 0.7, 0.75, 1.1, 1.9),
                        ("left", "left", "center", "right", "center", "right", "left")))
    if not catalogue_only:
        blocks += _attachments(item)
    return blocks


def _fields(item: CriterionEvidence) -> tuple[tuple[str, str], ...]:
    crit, status = item.criterion, item.status
    conf = status.confirmation
    confirmed = "未确认"
    if conf is not None:
        confirmed = f"{conf.by or '（未署名）'}，{conf.time}" + (f"；{conf.note}" if conf.note else "")
    items = [("评价标准", crit.rule), ("佐证材料要求", crit.evidence), ("分值", format_points(crit.points)),
             ("测评方式", crit.method), ("类别", crit.kind), ("责任单位", "、".join(crit.units)),
             ("材料状态", f"{STATE_NAMES[status.state]}（本项及子项共 {status.files} 个文件）"),
             ("确认情况", confirmed), ("备注", crit.note)]
    return tuple((label, value) for label, value in items if value or label in ("材料状态", "确认情况"))


def _attachments(item: CriterionEvidence) -> list[Block]:
    """Images are embedded and PDF/Office pages attached, in catalogue order; files with a problem are only listed."""
    blocks: list[Block] = []
    for f in item.files:
        kind = attachment_kind(f.type)
        if f.problem or f.sha256 is None or kind is None:
            continue
        anchor = f"f-{f.number}"
        if kind == "image":
            blocks.append(Image(f.path, f"{f.number} {f.title}（{f.date}）", anchor))
        else:
            blocks.append(Attachment(f.path, f"{f.number} {f.title}", anchor, kind, f.pages))
    return blocks
