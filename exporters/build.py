"""Turn an archive into the format-neutral Dossier, in the order of the printed binder:

    cover, 编制说明, 目录, 自评情况, 评价项目汇总表, [缺项清单], criteria, 未附入材料说明, [附录], 备考表

Counting rule, the same on the cover, in the summary, the gap list, the reports and the plan: criteria are counted
as LEAF criteria (the items evidence is filed under); a parent only sums its children and is never counted itself.
The 送审版 (review edition) leaves out everything that is the office's own work: material states and their counts,
the gap list, confirmations, the change log and the hash manifest. The 内部版 keeps all of it.
"""

from __future__ import annotations

from archive.db import Archive
from archive.status import STATE_NAMES
from common.text import chinese_date, format_points
from criteria.model import descendants
from exporters.appendix import appendix_blocks
from exporters.build_criterion import criterion_blocks, deduction, labelled
from exporters.build_sections import (
    closing_blocks,
    excluded_blocks,
    gap_blocks,
    gap_rows,
    left_out,
    not_included_blocks,
    selfeval_blocks,
)
from exporters.evidence import EvidenceSet, collect
from exporters.model import Block, Cover, Dossier, Heading, PageBreak, Paragraph, Table, TocPlaceholder, beyond_three
from exporters.options import ExportOptions, archival_legend
from exporters.part_score import part_score
from exporters.reports.common import score_text, units_text

__all__ = ["build_dossier", "gap_rows", "leaf_counts"]


def build_dossier(archive: Archive, options: ExportOptions, evidence: EvidenceSet | None = None,
                  pages: dict[str, int] | None = None) -> Dossier:
    """`pages`: evidence path -> pages attached (the PDF dossier, after preflight); None when none are attached."""
    generated = options.generated_time()
    evidence = evidence or collect(archive, options.codes, generated)
    cover = Cover(options.title, archive.title, options.stage, options.compiler, chinese_date(generated),
                  cover_lines(evidence, options), options.edition_name)
    header = " ".join(part for part in (archive.title, options.title) if part)
    if archive.title and archive.title in options.title:  # a title naming the county already: not twice
        header = options.title
    blocks: list[Block] = [PageBreak(), *_compilation_note(evidence, options, pages), PageBreak(), TocPlaceholder(),
                           PageBreak()]
    if options.scores:
        blocks += selfeval_blocks(evidence, options)
    blocks += summary_blocks(evidence, options)
    if options.internal:
        blocks += [PageBreak(), *gap_blocks(evidence), *excluded_blocks(evidence)]
    for item in evidence.items:
        blocks += criterion_blocks(item, evidence, options, pages)
    blocks += not_included_blocks(evidence, options, pages)
    if options.internal:
        blocks += appendix_blocks(archive, evidence, options, generated)
    blocks += closing_blocks(evidence, options, chinese_date(generated), len(left_out(evidence, options, pages)))
    return Dossier(cover, header, generated, blocks, options.page_numbers)


def leaf_counts(evidence: EvidenceSet) -> dict[str, int]:
    """Leaf criteria per state: the one count of criteria everywhere (see the module docstring)."""
    counts = {state: 0 for state in STATE_NAMES}
    for item in evidence.items:
        if item.is_leaf:
            counts[item.status.state] += 1
    return counts


def cover_lines(evidence: EvidenceSet, options: ExportOptions) -> list[tuple[str, str]]:
    leaves = sum(1 for item in evidence.items if item.is_leaf)
    files = evidence.unique_files()
    lines = [("评价项目", f"{len(evidence.items)} 项（末级项目 {leaves} 项）"), ("佐证材料", f"{len(files)} 件")]
    if options.codes:  # a part: "评价项目 1 项" alone reads as if the catalogue had one
        lines.insert(0, ("收录范围", _scope(evidence)))
    score = part_score(evidence) if options.scores else None  # of this dossier's items, as the lines above
    if score is not None:
        lines.append(("自评得分", score.text()))
    if options.internal:
        counts = leaf_counts(evidence)
        lines += [(STATE_NAMES[state], f"{count} 项") for state, count in counts.items()]
    return lines


def _scope(evidence: EvidenceSet, shown: int = 3) -> str:
    """"二（一）检验检测及其下级项目", the items a dossier of some items was asked for, as its headings cite them."""
    tops = [labelled(item.criterion, item.printed_code()) for item in evidence.items if item.level == 1]
    named = "、".join(tops[:shown]) + (f"等 {len(tops)} 项" if len(tops) > shown else "")
    below = any(not item.is_leaf for item in evidence.items if item.level == 1)
    return f"{named}{'及其下级项目' if below else ''}（评价目录的一部分）"


def _compilation_note(evidence: EvidenceSet, options: ExportOptions, pages) -> list[Block]:
    data = evidence.selfeval
    catalogue = f"《{data.catalogue_title}》" if data and data.catalogue_title else "评价目录"
    who = options.compiler or "本单位"
    stage = f"{options.stage}阶段" if options.stage else ""
    lines = [f"一、本汇编由{who}编制，供{stage}资料审查使用（{options.edition_name}）。",
             f"二、按{catalogue}的评价项目顺序编排。每个评价项目先列项目情况（类别、分值、"
             + ("自评得分、扣分说明、" if options.scores else "") + "责任单位、"
             + ("完成时限、" if options.internal else "") + "整改情况），再列佐证材料"
             "目录，其后按目录顺序附入材料原文和照片。",
             f"三、{_number_example(evidence)}；" + archival_legend(options.archival_code)
             + "。题名为材料标题；日期为材料成文日期，未能确定的留空；页数、起止页为材料在本汇编中的页数和页码。",
             "四、评价项目数按末级评价项目计，上级项目只作汇总。"]
    if pages is None and not options.catalogue_only:
        lines.append("五、本版本不附材料原文（照片除外），原文见 PDF 版或移交包；未能附入的材料列于“未附入材料说明”。")
    elif not options.catalogue_only:
        lines.append("五、未能附入原文的材料统一列于“未附入材料说明”，并在其佐证材料目录的备注中注明。")
    return [Heading(1, "编制说明", "sec-note"), *(Paragraph(line) for line in lines)]


def _number_example(evidence: EvidenceSet) -> str:
    """材料编号如“4-003”… from this dossier: a fixed "1.2-003" named an item that an imported catalogue numbered 1,
    2, 3 does not have. The first third piece of an item, else its first piece."""
    numbers = [(item.code, f.number) for item in evidence.items for f in item.files if f.number]
    code, number = next(((c, n) for c, n in numbers if n.endswith("-003")), numbers[0] if numbers else ("", ""))
    if not number:
        return "材料编号由评价项目编号和该项目下材料的顺序号（三位）组成"
    return f"材料编号如“{number}”，指评价项目 {code} 下的第 {int(number.rsplit('-', 1)[1])} 件材料"


# Columns that may be empty throughout (no kinds, no deductions yet): narrowed to their heading, 评价项目 widened
NARROWEST = {"类别": 0.7, "扣分说明": 1.2}


def summary_blocks(evidence: EvidenceSet, options: ExportOptions) -> list[Block]:
    columns = ["编号", "评价项目", "类别", "分值"]
    wider = beyond_three(item.printed_code() for item in evidence.items)
    widths = [0.9 + 0.3 * wider, 3.0 - 0.3 * wider, 0.9, 0.7]
    if options.scores:
        columns += ["自评得分", "扣分说明"]
        widths += [1.2, 1.8]  # 自评得分 on one line at 9 pt
    columns += ["责任单位", "材料"]
    widths += [1.8, 0.7]
    if options.internal:
        columns.append("状态")
        widths.append(1.1)
    rows = [_summary_row(item, evidence, options) for item in evidence.items]
    for name, narrowest in NARROWEST.items():
        at = columns.index(name) if name in columns else None
        if at is not None and not any(row[at] for row in rows):
            widths[1] += widths[at] - narrowest
            widths[at] = narrowest
    align = tuple("left" if c in ("评价项目", "扣分说明", "责任单位", "编号") else "center" for c in columns)
    note = "“材料”为本项及其下级项目的佐证材料件数。"
    if options.internal:
        note += "状态：末级项目为其材料状态；上级项目列出其下末级项目的齐全情况。"
    return [Heading(1, "评价项目汇总表", "sec-summary"), Paragraph(note, "small"),
            Table(tuple(columns), rows, tuple(widths), align, font_size=9)]


def _summary_row(item, evidence: EvidenceSet, options: ExportOptions) -> tuple[str, ...]:
    crit = item.criterion
    sheet_item = evidence.selfeval.sheet.by_code.get(crit.code) if evidence.selfeval else None
    row = [item.printed_code(), crit.title, sheet_item.kind if sheet_item else crit.kind,
           format_points(sheet_item.maximum if sheet_item else crit.points)]
    if options.scores:
        scored = sheet_item is not None and (sheet_item.scoring or sheet_item.scoring_below)
        row += [score_text(sheet_item) if scored else "", deduction(sheet_item) if sheet_item else ""]
    row += [units_text(sheet_item) if sheet_item else "、".join(crit.units), str(evidence.files_shown(item))]
    if options.internal:
        row.append(_state_text(item, evidence))
    return tuple(row)


def _state_text(item, evidence: EvidenceSet) -> str:
    if item.is_leaf:
        return STATE_NAMES[item.status.state]
    under = descendants([other.criterion for other in evidence.items], item.code)
    below = [other for other in evidence.items if other.is_leaf and other.code in under]
    complete = sum(1 for other in below if other.gap() is None)
    return f"齐全 {complete}/{len(below)} 项" if below else STATE_NAMES[item.status.state]


__all__ += ["cover_lines", "labelled", "summary_blocks"]
