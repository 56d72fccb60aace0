"""Helpers for the package tests: hand-made evidence packages (honest or malicious) and an archive's full state."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

UNIT = "县农业农村局"
FOLDER = "2 防范风险隐患/2.1 农药兽药残留治理提升行动"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def evidence_manifest(files: dict[str, bytes], code: str = "2.1", unit: str = UNIT, **overrides) -> dict:
    data = {"kind": "reviewready-evidence", "version": 1, "unit": unit, "archive_title": "测试", "created":
            "2024-05-01 10:00:00", "criteria": [{"code": code, "title": "农药兽药残留治理提升行动", "folder": FOLDER}],
            "files": [{"code": code, "path": name, "size": len(body), "sha256": sha(body),
                       "modified": "2024-04-30 09:00:00"} for name, body in files.items()]}
    data.update(overrides)
    return data


def write_zip(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, body in entries:
            zf.writestr(info, body)
    return path


def evidence_zip(path: Path, files: dict[str, bytes], extra: list[tuple[zipfile.ZipInfo | str, bytes]] = (),
                 manifest: dict | None = None, **overrides) -> Path:
    """A package whose manifest lists `files`; `extra` entries are added as they are (not listed)."""
    data = manifest if manifest is not None else evidence_manifest(files, **overrides)
    entries = [("manifest.json", json.dumps(data, ensure_ascii=False).encode())]
    entries += list(files.items()) + list(extra)
    return write_zip(path, entries)


def db_state(archive) -> dict:
    """Every row of every table: equal before and after means the archive is unchanged. A virtual table (the search
    wing's full-text indexes) is compared through its shadow tables: a contentless one cannot be read at all."""
    tables = [r[0] for r in archive.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                 "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name")]
    return {t: archive.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def listing(root: Path) -> list[str]:
    """Every path under root, hidden temp files included."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))
