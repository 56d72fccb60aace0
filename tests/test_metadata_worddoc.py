"""Legacy Word files (.doc, and WPS's .wps): their properties and first and last paragraphs, read from the binary
format, as a .docx's are. Files made by LibreOffice (where it is installed) and by hand to [MS-DOC]'s layout:
text stored as UTF-16 and as 8-bit pieces, field codes, table cells, a text longer than what is read at each end,
encrypted, Word 6 and damaged files (their names still count)."""

from __future__ import annotations

import pytest
from metadata_support import RED_HEADER, docx_with, libreoffice_saved, values, word97

from archive.index.scan import scan
from archive.links import link
from archive.metadata import worddoc
from archive.metadata.extract import extract
from archive.metadata.store import metadata_for_files

NOTICE_PIECES = [("某某县市场监督管理局文件\r某市监〔", False), ("2024", True),  # digits as Word stores ASCII
                 ("〕8号\r关于开展\x13 PAGE \\* MERGEFORMAT \x14一\x15次校园食堂检查的通知\r各市场监管所：\r"
                  "检查对象\x07学校食堂\x07\x07\r请按时报送。\r某某县市场监督管理局\r2024年5月6日\r", False)]
NOTICE_FIELDS = {"issuer": "某某县市场监督管理局", "doc_no": "某市监〔2024〕8号",
                 "title": "关于开展一次校园食堂检查的通知", "date": "2024-05-06"}



def test_a_notice_in_pieces_with_a_field_and_a_table(tmp_path):
    """The field's code (PAGE \\* MERGEFORMAT) is not text, its result (一) is; cells end lines."""
    path = tmp_path / "通知.doc"
    path.write_bytes(word97(NOTICE_PIECES))
    read = worddoc.read_word97(str(path), None)
    assert list(read.head) == ["某某县市场监督管理局文件", "某市监〔2024〕8号", "关于开展一次校园食堂检查的通知",
                               "各市场监管所：", "检查对象", "学校食堂", "请按时报送。", "某某县市场监督管理局",
                               "2024年5月6日"]
    assert values(extract(str(path), "doc")) == NOTICE_FIELDS
    assert extract(str(path), "doc") == extract(str(path), "wps")  # WPS's own format is the same binary


def test_a_long_document_is_read_at_both_ends_only(tmp_path, monkeypatch):
    monkeypatch.setattr(worddoc, "TEXT_LIMIT", 200)
    body = "".join(f"第{n}段正文，内容从略。\r" for n in range(100))
    path = tmp_path / "长.doc"
    path.write_bytes(word97([(NOTICE_PIECES[0][0], False), ("2024", True),
                             (NOTICE_PIECES[2][0].replace("请按时报送。\r", body), False)]))
    read = worddoc.read_word97(str(path), None)
    assert read.head[:2] == ["某某县市场监督管理局文件", "某市监〔2024〕8号"] and len("".join(read.head)) < 200
    assert read.tail[-2:] == ["某某县市场监督管理局", "2024年5月6日"] and read.tail[0].startswith("第")
    assert all(line.startswith(("第", "某", "2024")) for line in read.tail)  # no paragraph cut at the edge
    assert values(extract(str(path), "doc")) == NOTICE_FIELDS


@pytest.mark.parametrize("made", [
    lambda: word97(NOTICE_PIECES, encrypted=True),  # its text cannot be read
    lambda: word97(NOTICE_PIECES, nfib=0x65),  # Word 6: its text is kept another way
    lambda: word97(NOTICE_PIECES)[:3000],  # cut off
    lambda: word97(NOTICE_PIECES, prc=False)[:1536] + b"\xff" * 4096,  # its streams overwritten
    lambda: "这是一个被改了扩展名的文本文件。".encode(),
])
def test_what_cannot_be_read_gives_the_name_only(tmp_path, made):
    path = tmp_path / "某市监〔2024〕9号 关于食堂检查的通知.doc"
    path.write_bytes(made())
    assert values(extract(str(path), "doc")) == {"doc_no": "某市监〔2024〕9号", "title": "关于食堂检查的通知"}


def test_the_scan_reads_a_doc_in_a_linked_folder(archive, tmp_path):
    folder = tmp_path / "材料"
    folder.mkdir()
    (folder / "a.doc").write_bytes(word97(NOTICE_PIECES))
    link(archive, "1.1", [str(folder)])
    scan(archive)
    file_id = archive.conn.execute("SELECT id FROM files WHERE path LIKE '%a.doc'").fetchone()[0]
    meta = metadata_for_files(archive, [file_id])[file_id]
    assert {key: meta[key] for key in NOTICE_FIELDS} == NOTICE_FIELDS
    assert meta.get("title").origin == "text"


def test_a_doc_libreoffice_saved_reads_as_its_docx_does(tmp_path):
    long_body = [f"第{n}段：各单位要按照创建工作方案要求，落实食品安全主体责任，加强日常监督检查。" for n in range(120)]
    sources = [docx_with(tmp_path / "红头.docx", RED_HEADER, title="某某县2024年食品安全重点工作安排",
                         author="某某县食品安全委员会办公室"),
               docx_with(tmp_path / "长文.docx", [*RED_HEADER[:8], *long_body, *RED_HEADER[8:]])]
    for source, converted in zip(sources, libreoffice_saved(tmp_path, sources, "doc"), strict=True):
        assert converted.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a real binary .doc
        assert values(extract(str(converted), "doc")) == values(extract(str(source), "docx"))
    props = worddoc.read_word97(str(tmp_path / "out" / "红头.doc"), None).props
    assert props == {"title": "某某县2024年食品安全重点工作安排", "creator": "某某县食品安全委员会办公室"}
