"""The criteria catalogue inside an archive: store a Catalogue, read it back.

Links, confirmations, scores and problems refer to criteria by code. A revised catalogue is therefore never stored
by code alone (a deleted row renumbers the rows below it): when the archive already has a catalogue, storing goes
through archive.revision, which matches items by text and moves every code-keyed row first. A criterion that
disappeared is retired, not deleted: its links and confirmations stay with it, and the report names it.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field

from archive.db import Archive
from archive.linkset import ancestors_of
from common.errors import UserError
from criteria.model import Catalogue, Criterion, cited_code

COLUMNS = ("code", "label", "title", "parent", "level", "points", "method", "units", "rule", "evidence", "kind",
           "note", "due")


@dataclass
class CatalogueReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[tuple[str, str, int]] = field(default_factory=list)  # (code, title, links kept)

    def lines(self) -> list[str]:
        out = [f"新增 {len(self.added)} 项，更新 {len(self.updated)} 项"]
        for code, title, links in self.retired:
            out.append(f"新目录中已没有 {code} {title}：保留其 {links} 个关联，未删除")
        return out


def store_catalogue(archive: Archive, catalogue: Catalogue) -> CatalogueReport:
    """The archive's first catalogue; a revised one is matched by text and applied as a revision."""
    catalogue.validate()
    if has_catalogue(archive):
        from archive.revision import revise_catalogue  # late: the revision builds on this module

        return revise_catalogue(archive, catalogue).report()
    with archive.atomic():
        return write_rows(archive.conn, catalogue)


def has_catalogue(archive: Archive) -> bool:
    return archive.conn.execute("SELECT 1 FROM criteria WHERE retired = 0 LIMIT 1").fetchone() is not None


def write_rows(conn, catalogue: Catalogue) -> CatalogueReport:
    """Upsert every criterion by code and retire live codes the catalogue no longer has (inside a transaction).
    Right only once rows are keyed the way the new catalogue means them (a first import, or after the revision
    has moved the codes)."""
    report = CatalogueReport()
    old = {row[0]: row[1] for row in conn.execute("SELECT code, title FROM criteria WHERE retired = 0")}
    new_codes = {c.code for c in catalogue.criteria}
    for position, crit in enumerate(catalogue.criteria):
        (report.updated if crit.code in old else report.added).append(crit.code)
        values = [getattr(crit, name) for name in COLUMNS]
        values[COLUMNS.index("units")] = json.dumps(crit.units, ensure_ascii=False)
        conn.execute(
            f"INSERT OR REPLACE INTO criteria ({', '.join(COLUMNS)}, position, retired) "
            f"VALUES ({', '.join('?' * len(COLUMNS))}, ?, 0)", (*values, position))
    for code in sorted(set(old) - new_codes):
        links = conn.execute("SELECT COUNT(*) FROM links WHERE code = ?", (code,)).fetchone()[0]
        conn.execute("UPDATE criteria SET retired = 1, position = position + 1000000 WHERE code = ?", (code,))
        report.retired.append((code, old[code], links))
    for key in ("title", "source", "note"):
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                     (f"catalogue_{key}", getattr(catalogue, key)))
    return report


def load_catalogue(archive: Archive, include_retired: bool = False) -> Catalogue:
    where = "" if include_retired else "WHERE retired = 0"
    rows = archive.conn.execute(f"SELECT {', '.join(COLUMNS)} FROM criteria {where} ORDER BY position")
    criteria = []
    for row in rows:
        data = dict(zip(COLUMNS, row, strict=True))
        data["units"] = json.loads(data["units"] or "[]")
        for text in ("label", "method", "rule", "evidence", "kind", "note", "due"):
            data[text] = data[text] or ""
        criteria.append(Criterion(**data))
    return Catalogue(title=archive.meta("catalogue_title", "") or "", criteria=criteria,
                     source=archive.meta("catalogue_source", "") or "", note=archive.meta("catalogue_note", "") or "")


def resolve_code(archive: Archive, code: str) -> str:
    """Accept a canonical code, a label as written when it names exactly one criterion, or a label cited with the
    parts above it as a dossier of some items prints it ("二（一）" for the （一） of part 二)."""
    code = code.strip()
    if archive.conn.execute("SELECT 1 FROM criteria WHERE code = ? AND retired = 0", (code,)).fetchone():
        return code
    matches = [r[0] for r in archive.conn.execute(
        "SELECT code FROM criteria WHERE retired = 0 AND rtrim(label, '、.．') = rtrim(?, '、.．')", (code,))]
    if len(matches) == 1:
        return matches[0]
    cited = _cited(load_catalogue(archive).criteria)
    if len(matches) > 1:
        named = "、".join(f"{cited[m]} [{m}]" if _bare(cited[m]) != _bare(m) else m for m in matches)
        raise UserError(f"编号 {code} 不唯一，可能是：{named}，请写明是哪一个（上级编号加本级编号，或方括号中的编号）")
    found = [c for c, text in cited.items() if _bare(text) == _bare(code)]
    if len(found) == 1:
        return found[0]
    raise UserError(f"评价目录中没有编号 {code}")


def _cited(criteria: list[Criterion]) -> dict[str, str]:
    """code -> its printed code cited with every part above it ("二（一）")."""
    by_code = {c.code: c for c in criteria}
    ancestors = ancestors_of(criteria)
    return {c.code: cited_code(c, [by_code[a] for a in ancestors[c.code]]) for c in criteria}


def _bare(text: str) -> str:
    """As compared: full-width folded ("（一）" is "(一)"), no blanks, no closing 、 or dot."""
    return "".join(unicodedata.normalize("NFKC", text).split()).rstrip("、.")
