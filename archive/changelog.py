"""The change log: what changed in the evidence, when, and which criteria it touches (the events table, read only).

Entries are plain dicts so the CLI, the monitor's followers and the UI feed share one shape:
{"id", "time", "kind", "kind_name", "path", "old_path", "codes", "file_id", "size"}. "path" is where the file is after
the change (for a removal, where it was); "old_path" is set for moves only.
"""

from __future__ import annotations

import json
from datetime import datetime

from archive.catalogue import resolve_code
from archive.db import Archive
from common.errors import UserError

KIND_NAMES = {"added": "新增", "modified": "修改", "removed": "删除", "moved": "移动"}
JSON_KEYS = ("time", "kind", "path", "old_path", "codes")

_SELECT = "SELECT id, time, kind, path, old_path, codes, file_id, size FROM events"
# every code at or below the given one in the catalogue (retired ones too: old events may name them)
_SUBTREE = """
    WITH RECURSIVE subtree(code) AS (
        SELECT ? UNION SELECT criteria.code FROM criteria JOIN subtree ON criteria.parent = subtree.code)
    SELECT code FROM subtree"""


def _entry(row) -> dict:
    event_id, time, kind, path, old_path, codes, file_id, size = row
    return {"id": event_id, "time": time, "kind": kind, "kind_name": KIND_NAMES.get(kind, kind), "path": path,
            "old_path": old_path, "codes": json.loads(codes or "[]"), "file_id": file_id, "size": size}


def parse_since(text: str) -> str:
    """Validate a YYYY-MM-DD date given by the user; return it in the log's sortable form."""
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").strftime("%Y-%m-%d")
    except ValueError:
        raise UserError(f"日期格式不正确：{text}（应为 YYYY-MM-DD，如 2026-11-29）") from None


def code_subtree(archive: Archive, code: str) -> list[str]:
    """The criterion itself and all its sub-items, by the catalogue's parent links."""
    code = resolve_code(archive, code)
    return [row[0] for row in archive.conn.execute(_SUBTREE, (code,))]


def log_entries(archive: Archive, since: str | None = None, code: str | None = None, after: int = 0) -> list[dict]:
    """Change-log entries, oldest first; `since` is a YYYY-MM-DD date, `code` includes the code's sub-items, `after`
    an entry's id (only those written later)."""
    where, params = [], []
    if after:
        where.append("id > ?")
        params.append(after)
    if since:
        where.append("time >= ?")
        params.append(parse_since(since))
    if code:
        codes = code_subtree(archive, code)
        where.append(f"EXISTS (SELECT 1 FROM json_each(events.codes) WHERE value IN ({', '.join('?' * len(codes))}))")
        params.extend(codes)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
    return [_entry(row) for row in archive.conn.execute(sql, params)]


def changes_after(archive: Archive, code: str, confirmation) -> dict[str, list[str]]:
    """{kind: paths} added, modified, removed or moved under `code` (and its sub-items) since `confirmation`
    (archive.status.Confirmation) was made, each path once per kind, oldest first."""
    changes: dict[str, list[str]] = {}
    for entry in log_entries(archive, code=code, after=confirmation.last_event or 0):  # by id: the recent ones only
        if _after(entry, confirmation):
            paths = changes.setdefault(entry["kind"], [])
            if entry["path"] not in paths:
                paths.append(entry["path"])
    return changes


def files_changed_after(archive: Archive, confirmation) -> set[int] | None:
    """Row ids of the files added, modified or moved since `confirmation` was made; None for a confirmation that
    kept no place in the log (a frozen stage's copy): then only its time can tell."""
    if confirmation.last_event is None:
        return None
    rows = archive.conn.execute("SELECT DISTINCT file_id FROM events WHERE id > ? AND kind != 'removed' "
                                "AND file_id IS NOT NULL", (confirmation.last_event,))
    return {row[0] for row in rows}


def _after(entry: dict, confirmation) -> bool:
    """By the log's id where the confirmation kept it: the log and the confirmations keep whole seconds, and a
    change in the confirmation's own second is after it or not by the order they were written."""
    if confirmation.last_event is None:
        return entry["time"] > confirmation.time
    return entry["id"] > confirmation.last_event


def last_event_id(archive: Archive) -> int:
    return archive.conn.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0]


def events_after(archive: Archive, event_id: int) -> tuple[list[dict], int]:
    """Entries recorded after `event_id` (a follower's bookmark), oldest first, and the new bookmark."""
    entries = [_entry(row) for row in archive.conn.execute(_SELECT + " WHERE id > ? ORDER BY id", (event_id,))]
    return entries, (entries[-1]["id"] if entries else event_id)


def to_json(entry: dict) -> dict:
    """The public JSON shape of an entry (the `log --json` contract)."""
    return {key: entry[key] for key in JSON_KEYS}


def format_entry(entry: dict) -> str:
    """One line for a clerk: "2026-11-29 16:40:01 修改 [1.2, 2.1] /path/file.pdf"; a move shows where it came from."""
    line = f"{entry['time']} {entry['kind_name']} [{', '.join(entry['codes'])}] {entry['path']}"
    if entry.get("old_path"):
        line += f"（原位置：{entry['old_path']}）"
    return line
