"""The demo archive: real files of every kind, every state on show, and a folder it may safely re-create."""

from __future__ import annotations

import datetime
import time

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from archive.assignments import effective_assignments
from archive.db import open_archive
from archive.deadlines import criterion_overdue
from archive.demo import BEFORE_PERIOD, CONFIRMED, DEMO_PERIOD, DEMO_TITLE, EDITED_AFTER_CONFIRM, LEFT_EMPTY, make_demo
from archive.metadata.period import load_period, period_problems
from archive.metadata.store import metadata_for_files
from archive.status import compute_status
from common.errors import Cancelled, UserError
from tests.conftest import tree_snapshot


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    progress: list[tuple[float, str]] = []
    path = make_demo(tmp_path_factory.mktemp("demo") / "演示", progress=lambda f, m: progress.append((f, m)))
    archive = open_archive(path)
    yield archive, progress
    archive.close()


def test_every_state_is_on_show(demo):
    archive, _ = demo
    assert archive.title == DEMO_TITLE
    states = {s.code: s.state for s in compute_status(archive)}
    assert all(states[code] == "missing" for code in LEFT_EMPTY)
    assert states[EDITED_AFTER_CONFIRM] == "changed"
    assert all(states[code] == "confirmed" for code in CONFIRMED if code != EDITED_AFTER_CONFIRM)
    assert {"missing", "collected", "confirmed", "changed"} <= set(states.values())
    assert sum(1 for s in states.values() if s == "collected") > 20


def test_deadlines_are_on_show_one_part_past(demo):
    """As a task-breakdown table gives them: the first part's items are past their deadline, and 1.10, left empty,
    is 逾期; the other parts' lie ahead."""
    archive, _ = demo
    assignments = effective_assignments(archive)
    today = datetime.date.today().isoformat()
    assert assignments["1.10"].table_due is False and assignments["1.10"].due < today  # the part's, inherited
    assert criterion_overdue("missing", assignments["1.10"].due)
    assert all(assignments[code].due > today for code in ("2.5", "3.4", "4.3", "5.4.2"))


def test_files_are_real_documents_of_every_kind(demo):
    archive, _ = demo
    rows = archive.conn.execute("SELECT path, type, pages, problem FROM files").fetchall()
    by_type: dict[str, list] = {}
    for path, kind, pages, problem in rows:
        by_type.setdefault(kind, []).append((path, pages, problem))
    assert {"pdf", "docx", "xlsx", "jpg", "txt"} <= set(by_type)
    pdf_path, pages, _ = next(entry for entry in by_type["pdf"] if entry[2] is None)
    assert pages in (1, 2)
    reader = PdfReader(pdf_path)
    assert len(reader.pages) == pages
    assert any("\u4e00" <= ch <= "\u9fff" for ch in reader.pages[0].extract_text())  # Chinese text, not boxes
    docx_path = next(p for p, _, problem in by_type["docx"] if problem is None)
    assert Document(docx_path).paragraphs[0].text
    xlsx_path = by_type["xlsx"][0][0]
    assert load_workbook(xlsx_path).active["A2"].value == "序号"
    with Image.open(by_type["jpg"][0][0]) as photo:
        assert photo.size == (640, 420)


def test_photos_carry_what_a_phone_writes(demo):
    """The caption view and the dossier's photo captions show 时间, 地点 and 摄影者 read from the demo's photos, dated
    on the day each photo's file says it was taken."""
    archive, _ = demo
    photos = archive.conn.execute("SELECT id, path, mtime_ns FROM files WHERE type = 'jpg'").fetchall()
    assert photos
    metas = metadata_for_files(archive, [file_id for file_id, _, _ in photos])
    for file_id, path, mtime_ns in photos:
        meta = metas[file_id]
        taken = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(mtime_ns / 1e9))
        assert (meta["time"], meta.get("time").origin) == (taken, "exif"), path
        assert meta["place"].startswith("北纬30.") and "东经120." in meta["place"]
        assert meta["photographer"].endswith("张三") and meta.get("photographer").origin == "exif"


def test_the_creation_period_is_set_and_last_years_summary_falls_outside_it(demo):
    archive, _ = demo
    assert load_period(archive) == DEMO_PERIOD
    outside = {archive.conn.execute("SELECT path FROM files WHERE id = ?", (file_id,)).fetchone()[0]: message
               for file_id, message in period_problems(archive).items()}
    assert len(outside) == 1
    (path, message), = outside.items()
    assert path.endswith(f"{BEFORE_PERIOD}-9 2023年度食品安全工作总结.docx")
    assert message.startswith("日期不在创建周期内（成文日期 2023-12-20")


def test_faulty_files_show_as_problems(demo):
    archive, _ = demo
    problems = dict(archive.conn.execute("SELECT path, problem FROM files WHERE problem IS NOT NULL"))
    assert len(problems) == 2
    assert any(p.endswith("（空白）.docx") and m == "空文件（0 字节）" for p, m in problems.items())
    assert any(p.endswith("市场巡查记录.pdf") and m.startswith("内容与扩展名不符") for p, m in problems.items())


def test_change_log_has_every_kind_of_change(demo):
    archive, progress = demo
    kinds = dict(archive.conn.execute("SELECT kind, COUNT(*) FROM events GROUP BY kind"))
    assert kinds["added"] > 100 and kinds["modified"] == 1 and kinds["moved"] == 1 and kinds["removed"] == 1
    fractions = [f for f, _ in progress]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert progress[-1][1] == "演示档案已生成"


@pytest.mark.slow
def test_demo_is_recreated_fresh(tmp_path):
    folder = tmp_path / "演示"
    first = make_demo(folder)
    (folder / "证明材料" / "多余的文件.txt").write_text("上次留下的", encoding="utf-8")
    second = make_demo(folder)
    assert first == second == folder / "演示档案.rrdb"
    assert not (folder / "证明材料" / "多余的文件.txt").exists()
    with open_archive(second) as archive:
        assert archive.conn.execute("SELECT COUNT(*) FROM confirmations").fetchone()[0] == len(CONFIRMED)


def test_refuses_to_empty_a_folder_that_is_not_a_demo(tmp_path):
    folder = tmp_path / "我的材料"
    folder.mkdir()
    (folder / "重要.docx").write_bytes(b"PK")
    before = tree_snapshot(folder)
    with pytest.raises(UserError, match="不是演示档案文件夹且不为空"):
        make_demo(folder)
    assert tree_snapshot(folder) == before


def test_cancel_stops_early(tmp_path):
    with pytest.raises(Cancelled):
        make_demo(tmp_path / "演示", cancel=lambda: True)
    assert not (tmp_path / "演示" / "演示档案.rrdb").exists()
