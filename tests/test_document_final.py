"""A Word document edited with 修订 (tracked changes) is attached to the PDF dossier as it stands: the converter is
asked for the final view on the temp copy, so no struck-out wording or change bars reach the review team."""

from __future__ import annotations

import shutil
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from export_helpers import options, page_texts

from archive.index.scan import scan
from archive.links import link
from exporters import export
from exporters.document_final import W, show_final

REVISED = ('<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:r><w:t>请各乡镇于</w:t></w:r>'
           '<w:del w:id="1" w:author="张三" w:date="2024-03-01T10:00:00Z">'
           '<w:r><w:delText>三月一日</w:delText></w:r></w:del>'
           '<w:ins w:id="2" w:author="张三" w:date="2024-03-01T10:00:00Z">'
           '<w:r><w:t>三月五日</w:t></w:r></w:ins>'
           '<w:r><w:t>前报送创建工作材料。</w:t></w:r></w:p>')


def revised_notice(path):
    document = docx.Document()
    document.add_paragraph("关于报送创建工作材料的通知")
    paragraph = document.add_paragraph()
    paragraph._p.getparent().replace(paragraph._p, parse_xml(REVISED))
    document.save(path)
    return path


def _settings(path) -> str:
    with zipfile.ZipFile(path) as document:
        return document.read("word/settings.xml").decode()


def test_the_copy_asks_for_the_final_view_in_the_place_the_schema_gives_and_its_text_is_untouched(tmp_path):
    path = revised_notice(tmp_path / "通知.docx")
    with zipfile.ZipFile(path) as document:
        body = document.read("word/document.xml")
    assert show_final(str(path)) and show_final(str(path))  # twice: still one revisionView
    settings = _settings(path)
    assert settings.count("<w:revisionView ") == 1
    assert 'w:insDel="0"' in settings and 'w:markup="0"' in settings and 'w:formatting="0"' in settings
    assert settings.index("<w:proofState") < settings.index("<w:revisionView") < settings.index("<w:defaultTabStop")
    with zipfile.ZipFile(path) as document:
        assert document.read("word/document.xml") == body
        assert document.testzip() is None
    assert docx.Document(str(path)).paragraphs[0].text == "关于报送创建工作材料的通知"  # still opens


def test_what_cannot_be_set_is_left_as_it_is(tmp_path):
    (tmp_path / "假的.docx").write_bytes(b"not a zip")
    assert not show_final(str(tmp_path / "假的.docx"))
    with zipfile.ZipFile(tmp_path / "无设置.docx", "w") as bare:
        bare.writestr("word/document.xml", f'<w:document xmlns:w="{W}"/>')
    before = (tmp_path / "无设置.docx").read_bytes()
    assert not show_final(str(tmp_path / "无设置.docx"))
    assert (tmp_path / "无设置.docx").read_bytes() == before


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.slow
@pytest.mark.cjk_font
def test_the_dossier_attaches_the_revised_notice_as_it_stands(archive, evidence, tmp_path):
    folder = evidence / "1.3 通知"
    folder.mkdir()
    revised = revised_notice(folder / "报送通知.docx")
    before = revised.read_bytes()
    link(archive, "1.2", [str(folder)])
    scan(archive)
    path = tmp_path / "汇编.pdf"
    export(archive, "pdf", path, options(codes=["1.2"]))
    attached = "".join("".join(page.split()) for page in page_texts(path) if "附件 1.2-001" in page)
    assert "请各乡镇于三月五日前报送创建工作材料" in attached and "三月一日" not in attached
    assert revised.read_bytes() == before  # the evidence itself is only read
