"""One criterion's part of the dossier: its heading with the catalogue's own label, its box (kind, points, score,
deduction note, units, deadline, rectification), its 佐证材料目录 (DA/T 22-2015 columns), then its attached pages
and its photo sheet. The 送审版 shows no material states, confirmations or counts; the 内部版 keeps them."""

from __future__ import annotations

from archive.metadata.text import says_nothing
from archive.status import STATE_NAMES
from common.text import format_points
from exporters.attachments import attachment_kind
from exporters.evidence import CriterionEvidence, EvidenceFile, EvidenceSet
from exporters.images import photo_time
from exporters.model import (
    Attachment,
    Block,
    Fields,
    Heading,
    PageBreak,
    PageRange,
    Paragraph,
    Photo,
    PhotoSheet,
    Table,
)
from exporters.options import ExportOptions, archival_code
from exporters.reports.common import score_text, units_text
from exporters.similar_photos import describe, similar_groups

CATALOGUE_COLUMNS = ("序号", "档号", "文号", "责任者", "题名", "日期", "页数", "起止页", "备注")
# 日期 holds "20240305" and 起止页 "1162-1163" on one line at 9 pt (digits of half an em in 宋体, 0.6 em in the
# fallback fonts; Word's cell lines 2 pt narrower): a date broken as "202403/05" reads as two numbers
CATALOGUE_WIDTHS = (0.75, 1.45, 1.35, 1.1, 2.7, 1.45, 0.75, 1.25, 1.2)
CATALOGUE_ALIGN = ("center", "left", "left", "left", "left", "center", "center", "center", "left")
NOT_INCLUDED = "未附入原文，见说明"
PHOTO_LABELS = ("事由", "时间", "地点", "人物", "背景", "摄影者")


def labelled(crit, label: str | None = None) -> str:
    """"一、组织领导", "（一）成立领导小组", "1.制定方案", "1.1.1 农残快检": the code as the catalogue prints it, or
    `label` (the code cited with the parts above, in an export of some items: "二（一）检验检测")."""
    label = crit.printed_code() if label is None else label
    if not label:
        return crit.title
    joined = label.endswith(("、", ".", "．", "）", ")")) or label[:1] in "①②③④⑤⑥⑦⑧⑨⑩"
    return f"{label}{crit.title}" if joined else f"{label} {crit.title}"


def criterion_blocks(item: CriterionEvidence, evidence: EvidenceSet, options: ExportOptions,
                     pages: dict[str, int] | None) -> list[Block]:
    """`pages`: evidence path -> pages attached in this dossier (PDF); None when nothing is attached (Word)."""
    crit = item.criterion
    blocks: list[Block] = [PageBreak()] if item.level == 1 else []
    fields = box(item, evidence, options)
    blocks.append(Heading(item.level, labelled(crit, item.printed_code()), f"c-{crit.code}"))
    blocks += [Fields(fields)] if fields else []  # a part with no points, units or rule of its own: heading only
    if options.internal and item.unreachable:
        blocks.append(Paragraph("关联的文件夹或文件无法访问：" + "、".join(item.unreachable)
                                + "。以下为上次扫描时的材料，请恢复访问后重新扫描。", "note"))
    if not item.files:
        if item.is_leaf:
            blocks.append(Paragraph("本项暂无佐证材料。", "small"))
        return blocks
    blocks.append(Paragraph(f"{crit.code} 佐证材料目录", "table-title"))
    blocks.append(Table(CATALOGUE_COLUMNS, [_row(n, f, item, evidence, options, pages)
                                            for n, f in enumerate(item.files, start=1)],
                        CATALOGUE_WIDTHS, CATALOGUE_ALIGN, font_size=9))
    if options.internal:
        blocks += [Paragraph(f"近似照片：{describe(group)}，可能反映同一场景（归档一般只保留一张），请确认是否都需要。",
                             "note") for group in similar_groups(item)]
    if not options.catalogue_only:
        blocks += _attachments(item, evidence, options, pages)
    return blocks


def box(item: CriterionEvidence, evidence: EvidenceSet, options: ExportOptions) -> tuple[tuple[str, str], ...]:
    crit = item.criterion
    sheet_item = evidence.selfeval.sheet.by_code.get(crit.code) if evidence.selfeval else None
    kind = sheet_item.kind if sheet_item else crit.kind
    units = units_text(sheet_item) if sheet_item else "、".join(crit.units)
    rows = [("项目类别", kind), ("分值", format_points(sheet_item.maximum if sheet_item else crit.points))]
    if options.scores and sheet_item is not None and (sheet_item.scoring or sheet_item.scoring_below):
        rows += [("自评得分", score_text(sheet_item)), ("扣分说明", deduction(sheet_item))]
    rows += [("评价标准", crit.rule), ("佐证材料要求", crit.evidence), ("测评方式", crit.method), ("责任单位", units)]
    # The office's own schedule (a task table's 完成时限, reviewed months later): not for the review team
    rows.append(("完成时限", sheet_item.assignment.due if sheet_item and options.internal else ""))
    rows += [("整改情况", rectification_text(evidence, crit.code)), ("备注", crit.note)]
    if options.internal:
        shown = evidence.files_shown(item)
        kept_out = f"，另有 {item.status.files - shown} 个不列入汇编" if item.status.files > shown else ""
        rows += [("材料状态", f"{STATE_NAMES[item.status.state]}（本项及子项共 {shown} 个文件{kept_out}）"),
                 ("确认情况", _confirmed(item))]
    return tuple((label, value) for label, value in rows if value)


def deduction(sheet_item) -> str:
    if not sheet_item.scoring or sheet_item.score is None:
        return ""
    lost = sheet_item.lost
    note = sheet_item.score.note
    if lost and note:
        return f"扣 {format_points(round(lost, 2))} 分：{note}"
    return f"扣 {format_points(round(lost, 2))} 分" if lost else note


def rectification_text(evidence: EvidenceSet, code: str) -> str:
    data = evidence.selfeval
    if data is None:
        return ""
    problems = [r for r in data.rectifications if r.code == code]
    return "\n".join(f"{n}. {r.text}（{r.unit or '未指定单位'}，{r.state_name}"
                     f"{'，时限 ' + r.due if r.due else ''}）" for n, r in enumerate(problems, start=1))


def _confirmed(item: CriterionEvidence) -> str:
    conf = item.status.confirmation
    if conf is None:
        return "未确认"
    return f"{conf.by or '（未署名）'}，{conf.time}" + (f"；{conf.note}" if conf.note else "")


def included(f: EvidenceFile, options: ExportOptions, pages: dict[str, int] | None) -> bool:
    """Whether this dossier shows the file's content: attached pages (PDF) or an embedded photo."""
    if options.catalogue_only or f.problem or f.export_problem or f.sha256 is None or not f.available or f.same_as:
        return False  # a later copy's content is its first copy's
    kind = attachment_kind(f.type)
    if kind == "image":
        return True
    return pages is not None and f.path in pages


def _row(number: int, f: EvidenceFile, item, evidence: EvidenceSet, options: ExportOptions, pages) -> tuple:
    fields = evidence.describe(f)
    content = evidence.first_copy(f)  # a later copy shows where its content is: its first copy's pages
    shown = included(content, options, pages)
    if shown:
        image = attachment_kind(content.type) == "image"
        count = str(evidence.picture_pages.get(content.path, 1)) if image else str(pages[content.path])
        where = PageRange(f"f-{content.number}")
    else:
        # not in this dossier: the clerk's count, else only Word (which attaches nothing) shows a PDF's own
        pdf_count = str(f.pages) if pages is None and f.pages is not None and f.type == "pdf" else ""
        count = fields.pages or pdf_count
        where = ""
    remarks = [note for note in (f.problem, f.export_problem) if note]
    if f.same_as:
        remarks = [f.copy_note()]  # its first copy's row says whether and why the content is not attached
    elif not shown and not options.catalogue_only and (pages is not None or attachment_kind(f.type) == "image"):
        remarks = [f"未附入：{remarks[0]}" if remarks else NOT_INCLUDED]  # the why, once more in 未附入材料说明
    remarks = fields.remarks() + remarks
    if options.internal and f.period_problem:
        remarks.append(f.period_problem)
    if options.internal and f.changed_since_confirmation:
        remarks.append("确认后有变更")
    serial = f.number.rpartition("-")[2]
    code = archival_code(options.archival_code, item.code, serial, fields.date, options.generated_time())
    return (str(number), code, fields.doc_number, fields.author, fields.title, fields.date, count, where,
            "；".join(remarks))


def _attachments(item: CriterionEvidence, evidence: EvidenceSet, options: ExportOptions, pages) -> list[Block]:
    """What the dossier shows of each file, in catalogue order: a document's attached pages, photos on a photo
    sheet; consecutive photos share one, so the 起止页 rise with the 件号 (all photos after the documents put a
    clerk's "1.3-3 现场照片" after her "1.3-9 工作总结"). Nothing that is not included leaves a trace here."""
    blocks: list[Block] = []
    photos: list[Photo] = []

    def sheet() -> None:
        if photos:
            blocks.extend([PageBreak(), PhotoSheet(tuple(photos), options.photos_per_page, item.level + 1),
                           PageBreak()])
            photos.clear()

    for f in item.files:
        if not included(f, options, pages):
            continue
        title = evidence.describe(f).title
        if attachment_kind(f.type) == "image":
            photos.append(Photo(f.path, f"f-{f.number}", f.number, title, photo_elements(evidence, f),
                                evidence.picture_pages.get(f.path, 1), f.path in evidence.picture_pages))
        else:
            sheet()
            blocks.append(Attachment(f.path, f"{f.number} {title}", f"f-{f.number}", attachment_kind(f.type),
                                     pages[f.path], item.level + 1, f.number))
    sheet()
    return blocks


def photo_reason(evidence: EvidenceSet, f: EvidenceFile) -> str:
    """事由: typed or read, else a title that says what the photo shows (typed, or the clerk's own file name); a
    camera's name ("IMG_0001") does not."""
    fields = evidence.describe(f)
    return fields.photo.reason or ("" if says_nothing(fields.title) else fields.title)


def photo_elements(evidence: EvidenceSet, f: EvidenceFile) -> tuple[tuple[str, str], ...]:
    photo = evidence.describe(f).photo
    file_time = f"{f.date[:4]}-{f.date[4:6]}-{f.date[6:]}（文件时间）" if f.date else ""
    taken = photo.time or photo_time(f.path) or file_time
    values = (photo_reason(evidence, f), taken, photo.place, photo.people, photo.background, photo.photographer)
    return tuple(zip(PHOTO_LABELS, values, strict=True))
