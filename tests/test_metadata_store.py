"""Metadata in the archive: read at scan time, typed by the clerk, never overwritten by a scan, following the file's
identity through changes, renames and moves (and back after leaving the index), the creation period's problems."""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest
from metadata_support import RED_HEADER, docx_with, jpeg_with_exif, pdf_with_info

import archive.metadata.readpass as readpass
from archive.db import SCHEMA_VERSION, open_archive
from archive.index.scan import scan
from archive.links import link, unlink
from archive.metadata.period import PROBLEM, clear_period, load_period, period_problems, save_period
from archive.metadata.store import metadata_for_files, put_typed, set_values
from archive.status import compute_status
from common.errors import Cancelled, UserError
from common.progress import ProgressReporter as Job


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "材料"
    (root / "1.1 领导小组").mkdir(parents=True)
    (root / "2.2 校园食品" / "照片").mkdir(parents=True)
    docx_with(root / "1.1 领导小组" / "通知.docx", RED_HEADER)
    pdf_with_info(root / "1.1 领导小组" / "X政发〔2024〕12号 关于成立领导小组的通知.pdf", author="某某县人民政府",
                  pages=3)
    jpeg_with_exif(root / "2.2 校园食品" / "照片" / "IMG_0001.jpg", taken="2024:05:20 09:15:00",
                   latitude=(30, 16, 26.76), longitude=(120, 9, 18.36), orientation=8)
    return root


@pytest.fixture
def linked(archive, tree):
    link(archive, "1.1", [str(tree / "1.1 领导小组")])
    link(archive, "2.2", [str(tree / "2.2 校园食品")])
    scan(archive)
    return archive


def file_id(archive, name: str) -> int:
    for found, path in archive.conn.execute("SELECT id, path FROM files"):
        if os.path.basename(path) == name:
            return found
    raise AssertionError(name)


def meta_of(archive, name: str):
    return metadata_for_files(archive, [file_id(archive, name)])[file_id(archive, name)]


def test_a_scan_reads_what_each_file_says(linked):
    notice = meta_of(linked, "通知.docx")
    assert (notice["doc_no"], notice["date"], notice.source("date"), notice.get("date").origin) == (
        "某食安办〔2024〕3号", "2024-03-05", "file", "text")
    pdf = meta_of(linked, "X政发〔2024〕12号 关于成立领导小组的通知.pdf")
    assert (pdf["title"], pdf["doc_no"], pdf["issuer"], pdf["pages"]) == (
        "关于成立领导小组的通知", "X政发〔2024〕12号", "某某县人民政府", "3")
    assert pdf.get("pages").origin == "pages" and pdf["subject"] == ""
    photo = meta_of(linked, "IMG_0001.jpg")
    assert photo.is_photo and (photo["time"], photo.orientation) == ("2024-05-20 09:15:00", 8)
    assert "subject" in photo.fields() and "subject" not in pdf.fields()


def test_typed_values_win_and_survive_rescans_and_content_changes(linked, tree):
    notice = file_id(linked, "通知.docx")
    set_values(linked, [notice], {"title": "县食安办关于印发重点工作安排的通知", "secret": ""})
    scan(linked)
    docx_with(tree / "1.1 领导小组" / "通知.docx", [*RED_HEADER[:4], "改过的标题", *RED_HEADER[7:]])  # new content
    assert scan(linked).modified == 1
    meta = meta_of(linked, "通知.docx")
    assert meta["title"] == "县食安办关于印发重点工作安排的通知" and meta.source("title") == "typed"
    assert meta["secret"] == "" and meta.source("secret") == "typed"  # cleared by the clerk: the file's 秘密 hidden
    assert meta.read["secret"].text == "秘密"
    assert meta["doc_no"] == "" and meta.source("doc_no") == ""  # read again from the new content: no number now
    set_values(linked, [notice], {"secret": None})  # back to what the file says
    assert meta_of(linked, "通知.docx")["secret"] == "秘密"


def test_typed_values_follow_a_rename_and_a_move(linked, tree):
    pdf = file_id(linked, "X政发〔2024〕12号 关于成立领导小组的通知.pdf")
    set_values(linked, [pdf], {"note": "原件存档案室"})
    target = tree / "2.2 校园食品" / "X政发〔2024〕13号 改名后.pdf"
    shutil.move(tree / "1.1 领导小组" / "X政发〔2024〕12号 关于成立领导小组的通知.pdf", target)
    assert scan(linked).moved == 1
    meta = metadata_for_files(linked, [pdf])[pdf]
    assert meta.path == str(target) and meta["note"] == "原件存档案室"
    assert (meta["doc_no"], meta["title"]) == ("X政发〔2024〕13号", "改名后")  # the new name is read again


def test_typed_values_come_back_with_the_file(linked, tree, tmp_path):
    photo = file_id(linked, "IMG_0001.jpg")
    set_values(linked, [photo], {"place": "某某县实验小学食堂", "people": "张三、李四"})
    away = tmp_path / "暂存" / "IMG_0001.jpg"
    away.parent.mkdir()
    shutil.move(tree / "2.2 校园食品" / "照片" / "IMG_0001.jpg", away)
    assert scan(linked).removed == 1
    assert linked.conn.execute("SELECT COUNT(*) FROM meta_typed").fetchone()[0] == 0
    shutil.move(away, tree / "2.2 校园食品" / "照片" / "现场.jpg")  # back, under another name, a scan later
    assert scan(linked).added == 1
    back = meta_of(linked, "现场.jpg")
    assert back.file_id != photo and (back["place"], back["people"]) == ("某某县实验小学食堂", "张三、李四")
    unlink(linked, "2.2", str(tree / "2.2 校园食品"))  # a folder unlinked and linked again
    link(linked, "2.2", [str(tree / "2.2 校园食品")])
    scan(linked)
    assert meta_of(linked, "现场.jpg")["place"] == "某某县实验小学食堂"


def test_photo_fields_go_to_photos_only_and_an_edit_can_be_undone(linked):
    ids = [file_id(linked, "IMG_0001.jpg"), file_id(linked, "通知.docx")]
    before = set_values(linked, ids, {"place": "县一中食堂", "title": "检查现场"})
    assert set(before) == {(ids[0], "place"), (ids[0], "title"), (ids[1], "title")}
    assert meta_of(linked, "通知.docx")["place"] == ""
    put_typed(linked, before)
    assert meta_of(linked, "IMG_0001.jpg")["place"] == "北纬30.274100°，东经120.155100°"
    assert meta_of(linked, "通知.docx")["title"] == "关于印发《某某县2024年食品安全重点工作安排》的通知"


@pytest.mark.parametrize(("values", "message"), [
    ({"date": "2024-13-01"}, "成文日期格式不正确：2024-13-01"),
    ({"time": "2024-03-05 25:00"}, "时间中的时刻不正确：25:00"),
    ({"pages": "三"}, "页数应为正整数：三"),
    ({"pages": "²"}, "页数应为正整数：²"),  # a digit to str.isdigit, and no number to int()
])
def test_bad_typed_values_are_refused_naming_the_field(linked, values, message):
    with pytest.raises(UserError, match=message):
        set_values(linked, [file_id(linked, "通知.docx")], values)


def test_pages_are_stored_as_the_number_however_a_catalogue_writes_it(linked):
    for typed in ("3页", "共 3 页", "３", " 3 "):
        set_values(linked, [file_id(linked, "通知.docx")], {"pages": typed})
        assert meta_of(linked, "通知.docx")["pages"] == "3", typed


def test_typed_dates_and_times_are_stored_one_way(linked):
    ids = [file_id(linked, "IMG_0001.jpg")]
    set_values(linked, ids, {"date": "2024年3月5日", "time": "2024.3.5 9:05"})
    meta = meta_of(linked, "IMG_0001.jpg")
    assert (meta["date"], meta["time"]) == ("2024-03-05", "2024-03-05 09:05")
    # as a 落款 is written, and so typed or pasted by a clerk: in Chinese numerals, or spaced out
    set_values(linked, ids, {"date": "二〇二四年十二月三十一日", "time": "2024 年 3 月 5 日 14:30"})
    meta = meta_of(linked, "IMG_0001.jpg")
    assert (meta["date"], meta["time"]) == ("2024-12-31", "2024-03-05 14:30")
    with pytest.raises(UserError, match="成文日期格式不正确：二〇二四年二月三十日"):
        set_values(linked, ids, {"date": "二〇二四年二月三十日"})


def test_a_cancelled_metadata_pass_keeps_its_work_and_the_next_scan_finishes(archive, tree, monkeypatch):
    link(archive, "1.1", [str(tree / "1.1 领导小组")])
    link(archive, "2.2", [str(tree / "2.2 校园食品")])
    monkeypatch.setattr(readpass, "BATCH", 1)  # a transaction per file
    monkeypatch.setattr(Job, "tick", lambda self, fraction, message: self.check())  # look at every file

    def once_a_file_is_read() -> bool:
        return archive.conn.execute("SELECT COUNT(*) FROM meta_seen").fetchone()[0] > 0

    with pytest.raises(Cancelled):
        scan(archive, cancel=once_a_file_is_read)
    assert archive.conn.execute("SELECT COUNT(*) FROM meta_seen").fetchone()[0] == 1
    monkeypatch.undo()
    scan(archive)
    assert archive.conn.execute("SELECT COUNT(*) FROM meta_seen").fetchone()[0] == 3
    assert meta_of(archive, "通知.docx")["doc_no"] == "某食安办〔2024〕3号"


def test_an_unchanged_rescan_does_not_read_metadata_again(linked, monkeypatch):
    read = []
    monkeypatch.setattr(readpass, "extract_item", lambda item: read.append(item) or (item[0], {}))
    scan(linked)
    assert read == []


def test_an_archive_of_version_3_gains_the_tables_and_reads_everything_at_its_next_scan(linked):
    path = linked.path
    linked.conn.executescript("""
        DROP TRIGGER meta_file_deleted;
        DROP TABLE meta_read; DROP TABLE meta_typed; DROP TABLE meta_seen; DROP TABLE meta_kept;
        UPDATE meta SET value = '3' WHERE key = 'schema_version';""")
    scan(linked)  # as version 3 left it: folder digests saved, so an unchanged re-scan would look at nothing
    linked.close()
    with open_archive(path) as again:
        assert again.meta("schema_version") == str(SCHEMA_VERSION) and again.meta("folder_digests") is None
        assert scan(again).added == 0
        assert meta_of(again, "通知.docx")["doc_no"] == "某食安办〔2024〕3号"


def test_files_dated_outside_the_creation_period_have_a_problem(linked):
    assert period_problems(linked) == {} and load_period(linked) is None
    save_period(linked, "2024-04-01", "2026-06-30")
    notice, photo = file_id(linked, "通知.docx"), file_id(linked, "IMG_0001.jpg")
    problems = period_problems(linked)
    assert list(problems) == [notice]  # dated 2024-03-05; the photo was taken 2024-05-20
    assert problems[notice] == f"{PROBLEM}（成文日期 2024-03-05，创建周期 2024-04-01 至 2026-06-30）"
    set_values(linked, [photo], {"time": "2023-12-31 18:00"})
    set_values(linked, [notice], {"date": "2024-04-01"})  # the first day counts as inside
    assert list(period_problems(linked)) == [photo]
    assert period_problems(linked, [notice]) == {} and list(period_problems(linked, [photo, notice])) == [photo]
    status = {s.code: s for s in compute_status(linked)}
    assert (status["2.2"].problems, status["1.1"].problems, status["2"].problems) == (1, 0, 1)
    clear_period(linked)
    assert {s.code: s.problems for s in compute_status(linked)}["2.2"] == 0


def test_a_period_must_be_two_dates_in_order(linked):
    with pytest.raises(UserError, match="开始日期 2026-06-30 晚于结束日期 2024-01-01"):
        save_period(linked, "2026-06-30", "2024-01-01")
    with pytest.raises(UserError, match="创建周期结束日期格式不正确：明年"):
        save_period(linked, "2024-01-01", "明年")


def test_metadata_is_never_written_to_the_evidence_folder(linked, tree):
    from conftest import tree_snapshot

    before = tree_snapshot(tree)
    set_values(linked, [file_id(linked, "通知.docx")], {"title": "改"})
    scan(linked)
    assert tree_snapshot(tree) == before
    assert not any(name.endswith((".xmp", ".json")) for _, _, names in os.walk(tree) for name in names)


def test_a_file_removed_by_another_process_during_the_pass_gets_no_rows(linked, tree):
    conn = sqlite3.connect(linked.path)
    pending = [(file_id(linked, "通知.docx"), "x", "y", {"title": ("t", "name")})]
    conn.execute("DELETE FROM files WHERE id = ?", (pending[0][0],))
    conn.commit()
    conn.close()
    readpass._write(linked, pending)
    assert linked.conn.execute("SELECT COUNT(*) FROM meta_read WHERE file_id = ?", (pending[0][0],)).fetchone() == (0,)


def test_what_the_dossier_prints(linked):
    """exporters.file_fields, the one place the dossier reads what a file is: the values read or typed, the file
    name where there are none (the clerk's numbering and a 文号 in it taken apart), a photo's day for its 日期."""
    from exporters.evidence import collect
    from exporters.file_fields import PhotoFields

    def printed(name: str):
        evidence = collect(linked)
        found = next(f for f in evidence.unique_files() if f.name == name)
        return evidence.describe(found)

    notice = printed("通知.docx")
    assert (notice.title, notice.doc_number, notice.author, notice.date) == (
        "关于印发《某某县2024年食品安全重点工作安排》的通知", "某食安办〔2024〕3号", "某某县食品安全委员会办公室",
        "20240305")
    pdf = printed("X政发〔2024〕12号 关于成立领导小组的通知.pdf")
    assert (pdf.title, pdf.doc_number, pdf.author, pdf.date) == (
        "关于成立领导小组的通知", "X政发〔2024〕12号", "某某县人民政府", "")
    photo = printed("IMG_0001.jpg")
    assert (photo.title, photo.date) == ("IMG_0001", "20240520")
    assert photo.photo == PhotoFields(time="2024-05-20 09:15:00", place="北纬30.274100°，东经120.155100°")
    set_values(linked, [meta_of(linked, "IMG_0001.jpg").file_id],
               {"title": "食堂检查现场", "people": "张三", "date": "2024-05-21"})
    photo = printed("IMG_0001.jpg")
    assert (photo.title, photo.date, photo.photo.people) == ("食堂检查现场", "20240520", "张三")


def test_the_dossier_lists_a_date_outside_the_period_in_the_remark(linked):
    from exporters.evidence import collect

    save_period(linked, "2024-04-01", "2026-06-30")
    remarks = {f.name: f.remark() for f in collect(linked).unique_files()}
    assert remarks["通知.docx"].startswith("日期不在创建周期内（成文日期 2024-03-05")
    assert remarks["IMG_0001.jpg"] == ""


def test_a_renamed_file_is_not_read_again_but_its_new_name_is(linked, tree, monkeypatch):
    read = []
    real = readpass.extract_item
    monkeypatch.setattr(readpass, "extract_item", lambda item: read.append(item) or real(item))
    folder = tree / "1.1 领导小组"
    os.rename(folder / "通知.docx", folder / "X政发〔2024〕9号 通知（定稿）.docx")
    os.rename(folder / "X政发〔2024〕12号 关于成立领导小组的通知.pdf", folder / "20240601 领导小组名单.pdf")
    assert scan(linked).moved == 2
    assert read == []  # same content: nothing opened
    notice = meta_of(linked, "X政发〔2024〕9号 通知（定稿）.docx")
    assert (notice["doc_no"], notice.get("doc_no").origin) == ("某食安办〔2024〕3号", "text")  # the body's own
    pdf = meta_of(linked, "20240601 领导小组名单.pdf")
    assert (pdf["title"], pdf["date"], pdf["doc_no"], pdf["issuer"]) == (
        "领导小组名单", "2024-06-01", "", "某某县人民政府")


def test_the_accessor_takes_a_plain_connection_too(linked):
    ids = [file_id(linked, "通知.docx")]
    assert metadata_for_files(linked.conn, ids)[ids[0]]["doc_no"] == metadata_for_files(linked, ids)[ids[0]]["doc_no"]
