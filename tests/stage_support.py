"""Helpers for the stage tests: an archive with evidence, scores and a rectification item, and every way a file
can change between two stages."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from docx import Document
from export_helpers import cjk_pdf, page_texts, populate

from archive.index.scan import scan
from selfeval import rectify
from selfeval.scores import set_score

MAIN = str(Path(__file__).resolve().parent.parent / "main.py")
LEADER = "1.1 领导小组"
PLAN = "1.2 工作方案"


def prepared(archive, evidence: Path) -> Path:
    """populate() (attachment PDF, photo, corrupt PDF, links, scan, 1.1 confirmed) plus a score and an open
    rectification item with its own evidence."""
    populate(archive, evidence)
    set_score(archive, "1.1", 4, note="会议记录不全", by="张三")
    item = rectify.add(archive, "1.2", "方案未印发", unit="县食安办", due="2025-01-01")
    fix = evidence.parent / "整改材料"
    fix.mkdir()
    (fix / "印发通知.txt").write_text("已印发", encoding="utf-8")
    rectify.link_evidence(archive, item.id, [str(fix)])
    scan(archive)
    return evidence


def change_everything(archive, evidence: Path) -> None:
    """Between two stages: a file added, one edited, one deleted, one renamed, one moved to another criterion's
    folder, a sub-folder removed with its files; a score changed and the rectification item verified."""
    (evidence / PLAN / "补充说明.txt").write_text("新增的说明", encoding="utf-8")
    (evidence / LEADER / "附件正文.pdf").write_bytes(cjk_pdf(2, "修改后的正文第{}页"))
    (evidence / PLAN / "现场照片.jpg").unlink()
    (evidence / PLAN / "创建工作方案.txt").rename(evidence / PLAN / "创建工作方案（定稿）.txt")
    shutil.move(evidence / LEADER / "关于成立创建工作领导小组的通知.pdf",
                evidence / PLAN / "关于成立创建工作领导小组的通知.pdf")
    shutil.rmtree(evidence / LEADER / "会议纪要")
    scan(archive)
    set_score(archive, "1.1", 5, by="张三")
    item = rectify.list_all(archive)[0]
    rectify.set_state(archive, item.id, "verified", by="李四")


def cli(*args, code: int = 0) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, MAIN, *map(str, args)], capture_output=True, text=True, timeout=300)
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done


def docx_text(path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(path) -> str:
    return "\n".join(page_texts(path))
