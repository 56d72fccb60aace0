"""Full-text search over the stored texts and the files' names: which files say this, on which page, and the
criteria they are linked to.

A query is terms separated by spaces, all of which must occur (in any order). Terms of three or more characters go
to the trigram index; terms of one or two characters go to the bigram side index, because the trigram tokenizer
matches nothing shorter than three characters and silently drops such a term beside longer ones (so "台账 农贸市场"
would find every page with 农贸市场). A file whose name or folder (below its linked root) holds every term is a hit
too, listed first.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field

from archive.linkset import LinkSet, is_under
from search import schema

SNIPPET_CHARS = 36  # characters shown on each side of the match
MAX_PAGES = 20  # pages listed per file
MAX_MATCHES = 20_000  # pages looked at per query: enough for 200 files, bounded for a term on every page
RANKED = 3_000  # up to this many matching pages are put in order of relevance (BM25); more stay in index order
PAGE_CHUNK = 500


@dataclass
class Hit:
    path: str
    codes: list[str]
    page: int | None
    snippet: str
    where: str = "text"  # "text" (inside the file) or "name" (its name or folder)
    pages: list[int] = field(default_factory=list)  # every page that matches, first MAX_PAGES
    rowid: int = field(default=0, repr=False)  # the page row the snippet comes from

    def to_json(self) -> dict:
        return {"path": self.path, "codes": self.codes, "page": self.page, "snippet": self.snippet,
                "where": self.where, "pages": self.pages}


def where_text(hit: Hit) -> str:
    """Where a hit matched, as the window and the command line say it: "第 3 页", "正文", "文件名", or "文件名，正文第
    3 页" for a PDF found by its name that says it on page 3 (opened there)."""
    if hit.where == "name":
        return "文件名" + (f"，正文第 {hit.page} 页" if hit.page is not None else "")
    return f"第 {hit.page} 页" if hit.page is not None else "正文"


def terms_of(query: str) -> list[str]:
    seen: list[str] = []
    for term in query.split():
        term = term.strip().lower()
        if term and term not in seen:
            seen.append(term)
    return seen


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _match_expressions(terms: list[str]) -> tuple[str | None, str | None]:
    """(trigram MATCH, bigram MATCH): long terms as trigram phrases, short ones as bigram tokens or prefixes."""
    long = [_quoted(t) for t in terms if len(t) >= 3]
    short = []
    for term in terms:
        if len(term) == 2:
            short.append(_quoted(term))
        elif len(term) == 1:
            short.append(_quoted(term) + "*")
    return (" ".join(long) or None), (" ".join(short) or None)


def search(conn: sqlite3.Connection, query: str, scope: Scope | None = None, limit: int = 200) -> list[Hit]:
    """Files matching every term, name matches first, then text matches (by relevance when there are few enough
    to rank quickly, else in index order). `scope`: only the files it keeps (None: any)."""
    terms = terms_of(query)
    if not terms:
        return []
    links = LinkSet.load(conn)
    hits = _name_hits(conn, terms, links, scope, limit)
    if not schema.has_tables(conn):
        return hits
    by_name = {h.path: h for h in hits}
    for hit in _text_hits(conn, terms, links, scope, limit):
        named = by_name.get(hit.path)
        if named is not None:  # found by its name: opened at the page that says it, as a text hit is
            named.page, named.pages = hit.page, hit.pages
        elif len(hits) < limit:
            hits.append(hit)
    return hits


def _matching_pages(conn, terms: list[str]) -> list[int]:
    """Row ids of the pages holding every term, best first when there are at most RANKED of them."""
    tri, bi = _match_expressions(terms)
    parts, args = [], []
    if tri:
        parts.append("SELECT rowid FROM text_tri WHERE text_tri MATCH ?")
        args.append(tri)
    if bi:
        parts.append("SELECT rowid FROM text_bi WHERE text_bi MATCH ?")
        args.append(bi)
    ids = [row[0] for row in conn.execute(" INTERSECT ".join(parts) + f" LIMIT {MAX_MATCHES}", args)]
    if tri and len(ids) <= RANKED:
        wanted = set(ids)
        ids = [r for (r,) in conn.execute("SELECT rowid FROM text_tri WHERE text_tri MATCH ? ORDER BY rank", (tri,))
               if r in wanted]
    return ids


def _text_hits(conn, terms: list[str], links: LinkSet, scope: Scope | None, limit: int) -> list[Hit]:
    ids = _matching_pages(conn, terms)
    by_file: dict[str, Hit] = {}
    order: list[Hit] = []
    for start in range(0, len(ids), PAGE_CHUNK):
        chunk = ids[start:start + PAGE_CHUNK]
        marks = ",".join("?" * len(chunk))
        pages = {row[0]: row[1:] for row in conn.execute(
            f"SELECT id, sha256, page FROM text_pages WHERE id IN ({marks})", chunk)}
        shas = sorted({sha for sha, _ in pages.values()})
        files: dict[str, list[str]] = {}
        marks = ",".join("?" * len(shas))
        for path, sha in conn.execute(  # through the prefix index (schema.py); the whole hash then decides
                f"SELECT path, sha256 FROM files WHERE substr(sha256, 1, 8) IN ({marks}) AND sha256 IN ({marks})",
                [sha[:8] for sha in shas] + shas):
            files.setdefault(sha, []).append(path)
        for paths in files.values():  # copies in path order
            paths.sort()
        for rowid in chunk:
            sha, page = pages[rowid]
            for path in files.get(sha, ()):
                _add_page(path, rowid, page, by_file, order, links, scope, limit)
        if len(order) >= limit:
            break
    for hit in order:  # pages in reading order; the first page that matches is the one to open
        hit.pages.sort()
        hit.page = hit.pages[0] if hit.pages else None
        body = conn.execute("SELECT body FROM text_pages WHERE id = ?", (hit.rowid,)).fetchone()[0]
        hit.snippet = snippet(body, terms)
    return order


def _add_page(path, rowid, page, by_file, order, links, scope, limit) -> None:
    found = by_file.get(path)
    if found is not None:
        if page is not None and len(found.pages) < MAX_PAGES:
            found.pages.append(page)
            if page < (found.page or page + 1):
                found.page, found.rowid = page, rowid
        return
    if len(order) >= limit:
        return
    linked = links.codes_for(path)
    if scope is not None and not scope.keeps(path, linked):
        return
    hit = Hit(path, linked, page, "", "text", [page] if page is not None else [])
    hit.rowid = rowid
    by_file[path] = hit
    order.append(hit)


def _name_hits(conn, terms: list[str], links: LinkSet, scope: Scope | None, limit: int) -> list[Hit]:
    """Files whose path below their linked root (the root folder's own name included) holds every term."""
    where = " AND ".join("path LIKE ? ESCAPE '\\'" for _ in terms)  # LIKE ignores ASCII case by itself
    args = ["%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for t in terms]
    hits = []
    for (path,) in conn.execute(f"SELECT path FROM files WHERE sha256 IS NOT NULL AND {where} ORDER BY path", args):
        shown = _below_root(path, links).lower()
        if not all(t in shown for t in terms):
            continue
        linked = links.codes_for(path)
        if scope is not None and not scope.keeps(path, linked):
            continue
        hits.append(Hit(path, linked, None, _below_root(path, links), "name"))
        if len(hits) >= limit:
            break
    return hits


def _below_root(path: str, links: LinkSet) -> str:
    """The path from its linked root's folder name down (what a clerk recognises), or the file name."""
    roots = [link.path for link in links.links if link.is_dir and is_under(path, link.path)]
    if not roots:
        return os.path.basename(path)
    top = min(roots, key=len)
    return os.path.relpath(path, os.path.dirname(top))


def snippet(body: str, terms: list[str], width: int = SNIPPET_CHARS) -> str:
    """The text around the first occurrence of the first term found, on one line, the match in 【】."""
    lower = body.lower()
    positions = [(lower.find(t), t) for t in terms if lower.find(t) >= 0]
    if not positions:
        return " ".join(body[:2 * width].split())
    at, term = min(positions)
    before = body[max(0, at - width):at]
    after = body[at + len(term):at + len(term) + width]
    text = ("…" if at > width else "") + before + "【" + body[at:at + len(term)] + "】" + after
    text += "…" if at + len(term) + width < len(body) else ""
    return " ".join(text.split())


class Scope:
    """What a --code/--unit filter keeps: files linked to the code or an item below it; files linked to an item the
    unit is named on (or below one), or lying in a folder named after the unit (县市场监管局/…)."""

    def __init__(self, conn, code: str | None = None, unit: str | None = None):
        rows = conn.execute("SELECT code, parent, units FROM criteria").fetchall()
        children: dict[str | None, list[str]] = {}
        for c, parent, _ in rows:
            children.setdefault(parent, []).append(c)
        self.code = _subtree(children, code) if code is not None else None
        self.unit = unit
        self.owned: set[str] = set()
        if unit is not None:
            for c, _, units in rows:
                if any(unit in u for u in json.loads(units or "[]")):
                    self.owned |= _subtree(children, c)

    def keeps(self, path: str, codes: list[str]) -> bool:
        if self.code is not None and not self.code.intersection(codes):
            return False
        if self.unit is not None and not self.owned.intersection(codes):
            return self.unit in path.replace("\\", "/").split("/")
        return True


def _subtree(children: dict, code: str) -> set[str]:
    out, stack = set(), [code]
    while stack:
        current = stack.pop()
        if current not in out:
            out.add(current)
            stack.extend(children.get(current, ()))
    return out
