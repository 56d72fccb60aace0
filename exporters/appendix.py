"""The dossier's appendix: a manifest of every file (relative path, size, SHA-256), and optionally the change log."""

from __future__ import annotations

import json
import re

from archive.db import Archive
from archive.linkset import LinkSet
from common.errors import UserError
from common.text import format_size
from exporters.evidence import EvidenceSet, relative_path
from exporters.model import Block, Heading, PageBreak, Paragraph, Table
from exporters.options import ExportOptions

EVENT_NAMES = {"added": "新增", "modified": "修改", "removed": "删除", "moved": "移动/改名"}
MANIFEST_COLUMNS = ("序号", "相对路径", "大小", "SHA-256")
LOG_COLUMNS = ("时间", "变更", "文件", "评价项目")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def appendix_blocks(archive: Archive, evidence: EvidenceSet, options: ExportOptions, generated: str) -> list[Block]:
    files = evidence.unique_files()
    rows = [(str(number), f.rel, format_size(f.size), _split_hash(f.sha256))
            for number, f in enumerate(files, start=1)]
    blocks: list[Block] = [
        PageBreak(), Heading(1, "附录一 文件清单", "app-manifest"),
        Paragraph(f"生成时间：{generated}。共 {len(files)} 个文件；路径相对于关联的证明材料文件夹。", "small"),
        Table(MANIFEST_COLUMNS, rows, (0.7, 5.2, 1.1, 3.2), ("right", "left", "right", "left"), font_size=7.5),
    ]
    if options.changelog_since:
        blocks += _change_log(archive, evidence, options.changelog_since)
    return blocks


def _split_hash(sha256: str | None) -> str:
    """Two lines of 32 hex digits: fits a narrow column and stays easy to compare by eye."""
    if not sha256:
        return "（未能读取）"
    return f"{sha256[:32]}\n{sha256[32:]}"


def check_day(day: str) -> str:
    if not _DAY.match(day or ""):
        raise UserError(f"日期格式应为 YYYY-MM-DD：{day}")
    return day


def _change_log(archive: Archive, evidence: EvidenceSet, since: str) -> list[Block]:
    since = check_day(since)
    selected = {item.code for item in evidence.items}
    roots = {link.path: link for link in LinkSet.load(archive.conn).roots()}
    rows = []
    query = "SELECT time, kind, path, old_path, codes FROM events WHERE time >= ? ORDER BY id"
    for time, kind, path, old_path, codes in archive.conn.execute(query, (since,)):
        codes = [c for c in json.loads(codes or "[]") if c in selected]
        if not codes:
            continue
        shown = relative_path(path, roots)
        if old_path:
            shown = f"{relative_path(old_path, roots)} → {shown}"
        rows.append((time, EVENT_NAMES.get(kind, kind), shown, "、".join(codes)))
    blocks: list[Block] = [PageBreak(), Heading(1, f"附录二 变更记录（{since} 起）", "app-log")]
    if not rows:
        return [*blocks, Paragraph(f"{since} 以来没有变更。")]
    return [*blocks, Paragraph(f"共 {len(rows)} 条变更。", "small"),
            Table(LOG_COLUMNS, rows, (1.9, 1.1, 5.4, 1.6), ("left", "center", "left", "left"), font_size=8)]
