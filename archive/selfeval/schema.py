"""Schema version 2: what the self-evaluation (自查自评) keeps beside the evidence.

- assignments: per criterion, the user's overrides of what the imported table says: lead unit (牵头), assisting
  units (配合, JSON list), deadline (YYYY-MM-DD) and item kind. NULL means "as the catalogue says / inherited".
- scores: the self-assessed score of a scoring item, the deduction note, who scored it and when; `failed` marks a
  veto item (否决项) as triggered explicitly.
- rectifications: problems found (问题整改) with their unit, deadline, state and verification. Their evidence is
  linked in the ordinary links table under the pseudo-code "R<id>", so scan, the monitor and the index cover it.
- deadlines: a view of every criterion's effective deadline (its own, or the nearest ancestor's), which the
  department packages read (archive/packages/units.py).
Pass rules live in meta under "pass_rules" as JSON.
"""

from __future__ import annotations

import sqlite_utils

SCHEMA = """
CREATE TABLE assignments (
    code TEXT PRIMARY KEY, lead TEXT, assist TEXT, due TEXT, kind TEXT);
CREATE TABLE scores (
    code TEXT PRIMARY KEY, points REAL, failed INTEGER NOT NULL DEFAULT 0, note TEXT, by TEXT, time TEXT NOT NULL);
CREATE TABLE rectifications (
    id INTEGER PRIMARY KEY, code TEXT NOT NULL, text TEXT NOT NULL, unit TEXT NOT NULL, due TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open', created TEXT NOT NULL, fixed_at TEXT, verified_by TEXT, verified_at TEXT,
    note TEXT NOT NULL DEFAULT '');
CREATE INDEX rectifications_code ON rectifications (code);
CREATE VIEW deadlines AS
    WITH RECURSIVE tree(code, due) AS (
        SELECT c.code, a.due FROM criteria c LEFT JOIN assignments a ON a.code = c.code WHERE c.parent IS NULL
        UNION ALL
        SELECT c.code, COALESCE(NULLIF(a.due, ''), tree.due)
        FROM criteria c JOIN tree ON c.parent = tree.code LEFT JOIN assignments a ON a.code = c.code)
    SELECT code, due FROM tree WHERE due IS NOT NULL AND due <> '';
"""


def migrate_to_2(db: sqlite_utils.Database) -> None:
    db.executescript(SCHEMA)
