"""The record of applied catalogue revisions, and what it is for: mapping a department's package made against an
earlier catalogue onto the current one.

Each revision is kept in meta "catalogue_revisions" as {"time", "old", "new", "codes"}: the fingerprints of the
catalogue before and after (criteria.revision.catalogue_fingerprint) and every old code whose evidence now lives
under another key (renumbered, merged: the item it joined, removed: its retired key). A code not listed kept its key.
Task packages carry the fingerprint of the catalogue they were made from; the unit's evidence package passes it
back, so the office knows exactly which revisions lie between the package and today.
"""

from __future__ import annotations

import json

from archive.catalogue import load_catalogue
from archive.db import Archive, now
from common.errors import UserError
from criteria.revision import catalogue_fingerprint

META_KEY = "catalogue_revisions"
FINGERPRINT = "catalogue_fingerprint"  # the key in task and evidence package manifests


def record_revision(conn, old: str, new: str, codes: dict[str, str]) -> None:
    """Append one applied revision (inside the revision's own transaction)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()
    history = json.loads(row[0]) if row else []
    history.append({"time": now(), "old": old, "new": new, "codes": codes})
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                 (META_KEY, json.dumps(history, ensure_ascii=False)))


def revisions(archive: Archive) -> list[dict]:
    return json.loads(archive.meta(META_KEY) or "[]")


def current_fingerprint(archive: Archive) -> str:
    return catalogue_fingerprint(load_catalogue(archive).criteria)


def _chain(history: list[dict], start: str, current: str) -> list[dict] | None:
    """The revisions leading from the catalogue `start` to `current`, in order; None when there is no such path."""
    chain, at = [], start
    for revision in history:
        if revision["old"] == at:
            chain.append(revision)
            at = revision["new"]
    return chain if at == current else None


def package_code_map(archive: Archive, data: dict, codes: set[str], where: str) -> dict[str, str | None]:
    """For a department's evidence package: {package code: current code, or None where the item was removed}.
    Empty when the package was made against the current catalogue. UserError when the package's catalogue is one
    this archive cannot map: nothing may be imported under codes that may now mean other items."""
    fingerprint = data.get(FINGERPRINT)
    live = load_catalogue(archive)
    current = catalogue_fingerprint(live.criteria)
    if not fingerprint:
        _check_titles(data, live.by_code(), where)
        return {}
    if fingerprint == current:
        return {}
    chain = _chain(revisions(archive), fingerprint, current)
    if chain is None:
        unit = str(data.get("unit") or "该单位").strip()
        raise UserError(
            f"证明材料包 {where} 是按另一版评价目录整理的，本档案没有从那一版到当前目录的修订记录，无法确定编号的"
            f"对应关系，未导入任何内容。请用当前目录重新生成{unit}的任务包，按新任务包整理材料后再导出。")
    mapping = {}
    for code in codes:
        key = code
        for revision in chain:
            key = revision["codes"].get(key, key)
        mapping[code] = key if key in live.by_code() else None
    return mapping


def _check_titles(data: dict, by_code: dict, where: str) -> None:
    """A package from before fingerprints: accepted only where each item it names still has the same title."""
    for item in data.get("criteria") or []:
        if not isinstance(item, dict):
            continue
        code, title = item.get("code"), item.get("title")
        now_named = by_code.get(code)
        if isinstance(title, str) and now_named is not None and now_named.title != title:
            raise UserError(
                f"证明材料包 {where} 没有记录它所依据的评价目录版本，而其中编号 {code} 的项目“{title}”在当前目录中是"
                f"“{now_named.title}”，未导入任何内容。请用当前目录重新生成任务包，按新任务包整理材料后再导出。")
