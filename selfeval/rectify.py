"""Rectification items (问题整改): a problem under a criterion, the unit that fixes it, a deadline and a state.

States: open (未整改) -> fixed (已整改, the unit reports it done) -> verified (已验证, someone checked it; who and
when are kept). Any state may be set again: reopening clears the later stamps. Evidence of the fix is linked like
any other evidence, in the links table under the pseudo-code "R<id>": scan, the monitor and the file index cover
it unchanged, and status ignores it (it is no criterion). Overdue: see archive.deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from archive.assignments import effective_assignments
from archive.catalogue import resolve_code
from archive.confirm import default_user
from archive.db import Archive, now
from archive.deadlines import optional_due, parse_due, rectification_overdue
from archive.links import add_links, drop_unlinked_files, normalize_path
from archive.linkset import path_range
from common.errors import UserError

STATES = ("open", "fixed", "verified")
STATE_NAMES = {"open": "未整改", "fixed": "已整改", "verified": "已验证"}
STATE_ALIASES = {**{name: state for state, name in STATE_NAMES.items()}, "整改中": "open", "待整改": "open",
                 "完成": "fixed", "已完成": "fixed", "验证": "verified", "已销号": "verified"}
CODE_PREFIX = "R"
COLUMNS = ("id", "code", "text", "unit", "due", "state", "created", "fixed_at", "verified_by", "verified_at", "note")


def link_code(rect_id: int) -> str:
    """The pseudo-criterion code under which a rectification's evidence is linked."""
    return f"{CODE_PREFIX}{rect_id}"


def describe_link_code(code: str) -> str:
    """How a code from the links or events table reads to a clerk: "R12" is 整改问题#12, a criterion stays as is."""
    number = code[len(CODE_PREFIX):]
    return f"整改问题#{number}" if code.startswith(CODE_PREFIX) and number.isdigit() else code


@dataclass
class Rectification:
    id: int
    code: str
    text: str
    unit: str
    due: str
    state: str
    created: str
    fixed_at: str | None
    verified_by: str | None
    verified_at: str | None
    note: str

    @property
    def state_name(self) -> str:
        return STATE_NAMES.get(self.state, self.state)

    def overdue(self, today: date | None = None) -> bool:
        return rectification_overdue(self.state, self.due, today)

    def to_json(self, today: date | None = None) -> dict:
        return {"id": self.id, "code": self.code, "text": self.text, "unit": self.unit, "due": self.due,
                "state": self.state, "overdue": self.overdue(today), "verified_by": self.verified_by,
                "verified_at": self.verified_at}


def parse_state(text: str) -> str:
    word = text.strip()
    state = word.lower() if word.lower() in STATES else STATE_ALIASES.get(word)
    if state is None:
        raise UserError(f"整改状态不正确：{text}（可选 open/fixed/verified，或 未整改/已整改/已验证）")
    return state


def _clean_text(text: str) -> str:
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if not text:
        raise UserError("请填写问题内容")
    return text


def add(archive: Archive, code: str, text: str, unit: str | None = None, due: str | None = None,
        note: str = "") -> Rectification:
    """A new open item. Unit and deadline default to the criterion's lead unit and deadline when not given."""
    code = resolve_code(archive, code)
    assignment = effective_assignments(archive)[code]
    unit = (unit or "").strip() or assignment.lead
    if not unit:
        raise UserError(f"请指定责任单位：{code} 在评价目录中没有牵头单位")
    due = optional_due(due, "整改时限") if due else assignment.due
    if not due:
        raise UserError(f"请指定整改时限（YYYY-MM-DD）：{code} 没有设定时限")
    with archive.atomic():
        cursor = archive.conn.execute(
            "INSERT INTO rectifications (code, text, unit, due, state, created, note) "
            "VALUES (?, ?, ?, ?, 'open', ?, ?)",
            (code, _clean_text(text), unit, due, now(), note.strip()))
    return get(archive, cursor.lastrowid)


def get(archive: Archive, rect_id: int | str) -> Rectification:
    try:
        number = int(str(rect_id).strip().lstrip(CODE_PREFIX).lstrip("#"))
    except ValueError:
        raise UserError(f"整改问题编号不正确：{rect_id}（应为数字，如 3）") from None
    row = archive.conn.execute(f"SELECT {', '.join(COLUMNS)} FROM rectifications WHERE id = ?", (number,)).fetchone()
    if row is None:
        raise UserError(f"没有编号为 {number} 的整改问题")
    return Rectification(*row)


def list_all(archive: Archive, unit: str | None = None, code: str | None = None) -> list[Rectification]:
    """All items in the order they were raised; `code` includes items of its sub-criteria."""
    rows = archive.conn.execute(f"SELECT {', '.join(COLUMNS)} FROM rectifications ORDER BY id").fetchall()
    items = [Rectification(*row) for row in rows]
    if unit:
        items = [r for r in items if r.unit == unit]
    if code:
        code = resolve_code(archive, code)
        below = _subtree(archive, code)
        items = [r for r in items if r.code in below]
    return items


def _subtree(archive: Archive, code: str) -> set[str]:
    """`code` and every criterion below it, by parent links: an imported table's codes need not share a prefix
    with their parent's (items numbered 5…9 under the part 二)."""
    children: dict[str, list[str]] = {}
    for child, parent in archive.conn.execute("SELECT code, parent FROM criteria WHERE parent IS NOT NULL"):
        children.setdefault(parent, []).append(child)
    found, stack = set(), [code]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


def update(archive: Archive, rect_id: int, code: str | None = None, text: str | None = None,
           unit: str | None = None, due: str | None = None, note: str | None = None) -> Rectification:
    item = get(archive, rect_id)
    values = {"code": resolve_code(archive, code) if code is not None else item.code,
              "text": _clean_text(text) if text is not None else item.text,
              "unit": (unit.strip() or item.unit) if unit is not None else item.unit,
              "due": parse_due(due, "整改时限") if due is not None else item.due,
              "note": note.strip() if note is not None else item.note}
    with archive.atomic():
        archive.conn.execute("UPDATE rectifications SET code = ?, text = ?, unit = ?, due = ?, note = ? WHERE id = ?",
                             (*values.values(), item.id))
    return get(archive, item.id)


def set_state(archive: Archive, rect_id: int | str, state: str, by: str | None = None,
              note: str | None = None) -> Rectification:
    """Move an item to `state` (open/fixed/verified or the Chinese names). Verifying records who and when; an item
    verified without having been marked fixed is taken as fixed at the same moment."""
    item = get(archive, rect_id)
    state = parse_state(state)
    stamp = now()
    fixed_at = item.fixed_at
    verified_by, verified_at = item.verified_by, item.verified_at
    if state == "open":
        fixed_at = verified_by = verified_at = None
    elif state == "fixed":
        fixed_at = fixed_at or stamp
        verified_by = verified_at = None
    else:
        fixed_at = fixed_at or stamp
        verified_by = (by if by is not None else default_user()).strip() or None
        verified_at = stamp
        if not verified_by:
            raise UserError("请填写验证人")
    with archive.atomic():
        archive.conn.execute(
            "UPDATE rectifications SET state = ?, fixed_at = ?, verified_by = ?, verified_at = ?, note = ? "
            "WHERE id = ?", (state, fixed_at, verified_by, verified_at,
                             item.note if note is None else note.strip(), item.id))
    return get(archive, item.id)


def delete(archive: Archive, rect_id: int | str) -> None:
    """Forget the item and its evidence links (never the files themselves)."""
    item = get(archive, rect_id)
    with archive.atomic():
        archive.conn.execute("DELETE FROM rectifications WHERE id = ?", (item.id,))
        archive.conn.execute("DELETE FROM links WHERE code = ?", (link_code(item.id),))
        drop_unlinked_files(archive)


def link_evidence(archive: Archive, rect_id: int | str, paths: list[str]) -> list[str]:
    """Link folders or files as the item's evidence (the same checks as linking to a criterion). Returns the paths
    newly linked; scan them (archive.index.scan.scan with targets=) to index their files."""
    return add_links(archive, link_code(get(archive, rect_id).id), paths)


def unlink_evidence(archive: Archive, rect_id: int | str, path: str) -> None:
    item = get(archive, rect_id)
    with archive.atomic():
        cursor = archive.conn.execute("DELETE FROM links WHERE code = ? AND path = ?",
                                      (link_code(item.id), normalize_path(path)))
        if not cursor.rowcount:
            raise UserError(f"整改问题 {item.id} 没有关联 {path}")
        drop_unlinked_files(archive)


def evidence_links(archive: Archive, rect_id: int) -> list[tuple[str, bool, bool]]:
    """(path, is_dir, reachable) of the item's evidence links."""
    rows = archive.conn.execute("SELECT path, is_dir, reachable FROM links WHERE code = ? ORDER BY path",
                                (link_code(rect_id),))
    return [(path, bool(is_dir), bool(reachable)) for path, is_dir, reachable in rows]


def evidence_counts(archive: Archive) -> dict[int, int]:
    """Indexed evidence files per rectification id (files with content, each once), by index range per link."""
    found: dict[int, set[int]] = {}
    rows = archive.conn.execute("SELECT code, path, is_dir FROM links WHERE code LIKE ?", (CODE_PREFIX + "%",))
    for code, path, is_dir in rows.fetchall():
        suffix = code[len(CODE_PREFIX):]
        if not suffix.isdigit():
            continue
        ids = found.setdefault(int(suffix), set())
        ids.update(r[0] for r in archive.conn.execute(
            "SELECT id FROM files WHERE path = ? AND sha256 IS NOT NULL", (path,)))
        if is_dir:
            lo, hi = path_range(path)
            ids.update(r[0] for r in archive.conn.execute(
                "SELECT id FROM files WHERE path >= ? AND path < ? AND sha256 IS NOT NULL", (lo, hi)))
    return {rect_id: len(ids) for rect_id, ids in found.items()}
