"""One decoder for bytes without a declared encoding (archive.metadata.text.decode_legacy): EXIF tags and PDF strings
in the metadata, the first lines of a text file for its title, and plain-text files for search all read alike."""

from __future__ import annotations

import pytest

from archive.metadata.text import decode_legacy
from search.extract import extract

NOTICE = "关于开展农贸市场快检室检查的通知"


@pytest.mark.parametrize("data", [NOTICE.encode("utf-8"), NOTICE.encode("utf-8-sig"), NOTICE.encode("gb18030"),
                                  NOTICE.encode("utf-16")])
def test_every_way_chinese_software_writes_text_reads_back(data):
    assert decode_legacy(data) == NOTICE
    assert decode_legacy(data, sliced=True, last_resort="gb18030") == NOTICE


def test_a_character_cut_by_the_slice_is_dropped_not_the_encoding():
    cut_utf8 = NOTICE.encode("utf-8")[:-1]
    assert decode_legacy(cut_utf8, sliced=True, last_resort="gb18030") == NOTICE[:-1]
    assert decode_legacy(b"abc\xd6\xd0", sliced=True, last_resort="gb18030") == "abc中"  # whole, not cut
    assert decode_legacy(cut_utf8) != NOTICE[:-1]  # unsliced bytes are never trimmed


def test_what_no_encoding_reads_falls_back_as_asked():
    assert decode_legacy(b"Caf\xe9") == "Caf\xe9"  # an EXIF tag in Latin-1
    assert decode_legacy(b"\x80\xff", last_resort="gb18030") == "\ufffd\ufffd"


def test_search_and_the_metadata_read_a_gbk_text_file_alike(tmp_path):
    from archive.metadata.extract import _decode

    path = tmp_path / "台账.txt"
    path.write_bytes((NOTICE + "\n农贸市场快检室每日检测记录。").encode("gb18030"))
    assert extract(str(path), "txt").pages[0][1].splitlines()[0] == NOTICE
    assert _decode(path.read_bytes()).splitlines()[0] == NOTICE
