"""What the files say of themselves waits for a pass like page counts do, and is read again when the readers change:
a folder of photos and text files alone, indexed the app's way (pages=False), has its values read by the background
pass (count_waiting); an archive whose values other readers read has every file read again once, typed values kept."""

from __future__ import annotations

from metadata_support import RED_HEADER, docx_with, jpeg_with_exif, metadata_by_name

import archive.metadata.readpass as readpass
from archive.index.scan import count_waiting, scan, work_waiting
from archive.links import link
from archive.metadata.readpass import READERS, READERS_VERSION
from archive.metadata.store import set_values


def scanned_notice(archive, tmp_path) -> None:
    """A red-header notice in a folder linked to 1.1, and a scan with its metadata pass."""
    folder = tmp_path / "材料"
    folder.mkdir()
    docx_with(folder / "通知.docx", RED_HEADER)
    link(archive, "1.1", [str(folder)])
    scan(archive)


def test_photos_and_text_files_alone_wait_for_the_background_pass(archive, tmp_path):
    folder = tmp_path / "现场照片"
    folder.mkdir()
    jpeg_with_exif(folder / "IMG_0001.jpg", taken="2024:05:20 09:15:00")
    (folder / "说明.txt").write_text("关于校园食堂检查的说明\n正文。\n某县市场监督管理局\n2024年5月21日\n",
                                   encoding="utf-8")
    link(archive, "1.1", [str(folder)])
    result = scan(archive, pages=False)
    assert result.pending and work_waiting(archive)  # no page to count, and still work to do
    assert count_waiting(archive) == 0  # no page count written
    by_name = metadata_by_name(archive)
    assert by_name["IMG_0001.jpg"]["time"] == "2024-05-20 09:15:00"
    assert by_name["说明.txt"]["date"] == "2024-05-21" and by_name["说明.txt"]["issuer"] == "某县市场监督管理局"
    assert not work_waiting(archive) and not scan(archive, pages=False).pending


def test_values_read_by_other_readers_are_read_again_once(archive, tmp_path):
    scanned_notice(archive, tmp_path)
    assert archive.meta(READERS) == str(READERS_VERSION)
    file_id = archive.conn.execute("SELECT id FROM files").fetchone()[0]
    set_values(archive, [file_id], {"secret": "机密"})  # typed: never touched by a reading
    with archive.atomic():  # what an older reader had read: a wrong date, and no 文号
        archive.conn.execute("UPDATE meta_read SET value = '2024-12-31' WHERE field = 'date'")
        archive.conn.execute("DELETE FROM meta_read WHERE field = 'doc_no'")
    scan(archive)  # the same readers: nothing is read again
    assert metadata_by_name(archive)["通知.docx"]["date"] == "2024-12-31"
    archive.set_meta(READERS, str(READERS_VERSION - 1))
    scan(archive)
    values = metadata_by_name(archive)["通知.docx"]
    assert values["date"] == "2024-03-05" and values["doc_no"] == "某食安办〔2024〕3号" and values["secret"] == "机密"
    assert archive.meta(READERS) == str(READERS_VERSION) and archive.meta(readpass.UNFINISHED) == "0"


def test_an_archive_from_before_the_readers_had_a_version_is_read_again(archive, tmp_path):
    scanned_notice(archive, tmp_path)
    with archive.atomic():
        archive.conn.execute("DELETE FROM meta WHERE key = ?", (READERS,))
        archive.conn.execute("DELETE FROM meta_read")
    scan(archive, pages=False)  # the app's way: the index, then the background pass
    assert work_waiting(archive)
    count_waiting(archive)
    assert metadata_by_name(archive)["通知.docx"]["date"] == "2024-03-05"
