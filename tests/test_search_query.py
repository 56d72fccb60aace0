"""Full-text search: long and short terms together, one-character terms, pages of PDFs, names, --code/--unit, and the
command line's JSON shape."""

from __future__ import annotations

import json

import pytest

from archive.index.scan import scan
from archive.links import link
from search.query import Scope, search
from search.texts import update_texts
from tests.search_support import write_docx, write_pdf
from tests.test_cli import cli


@pytest.fixture
def searched(archive, tmp_path):
    market = tmp_path / "证明材料" / "县市场监管局" / "农贸市场"
    school = tmp_path / "证明材料" / "县教育局" / "学校食堂"
    write_docx(market / "快检室建设情况.docx", ["城东农贸市场快检室已建成，配备检测人员两名。"])
    write_docx(market / "快检记录.docx", ["农贸市场快检室每日检测记录，附检测台账。"])
    write_pdf(market / "督查报告.pdf", ["第一页 督查概况", "第二页 农贸市场快检室运行正常", "第三页 附件：快检台账"])
    write_docx(school / "明厨亮灶.docx", ["学校食堂明厨亮灶覆盖率100%，校长陪餐记录齐全。"])
    link(archive, "2.1.1", [str(market)])
    link(archive, "2.2", [str(school)])
    scan(archive)
    update_texts(archive)
    return archive


def _names(hits) -> list[str]:
    return sorted(h.path.rsplit("/", 1)[-1] for h in hits)


def test_a_two_character_term_beside_a_long_one_narrows_the_result(searched):
    assert _names(search(searched.conn, "农贸市场快检室")) == ["快检室建设情况.docx", "快检记录.docx", "督查报告.pdf"]
    # trigram alone drops "台账" and would return all three; the bigram side index keeps it
    assert _names(search(searched.conn, "农贸市场快检室 台账")) == ["快检记录.docx"]
    assert _names(search(searched.conn, "台账")) == ["快检记录.docx", "督查报告.pdf"]


def test_one_character_terms(searched):
    assert _names(search(searched.conn, "陪")) == ["明厨亮灶.docx"]
    assert _names(search(searched.conn, "两 快检室")) == ["快检室建设情况.docx"]
    assert search(searched.conn, "鳖") == []


def test_pdf_hits_know_their_page_and_show_the_match(searched):
    (hit,) = [h for h in search(searched.conn, "台账") if h.path.endswith(".pdf")]
    assert (hit.page, hit.pages) == (3, [3])
    assert "【台账】" in hit.snippet and hit.codes == ["2.1.1"]
    (first,) = [h for h in search(searched.conn, "快检室") if h.path.endswith(".pdf")]
    assert first.page == 2


def test_names_and_folders_match_first(searched):
    hits = search(searched.conn, "学校食堂")
    assert hits[0].where == "name" and hits[0].snippet == "学校食堂/明厨亮灶.docx"


def test_a_pdf_found_by_its_name_opens_at_the_page_that_says_it(searched):
    """A PDF whose name holds the term was listed as a name hit only: opened at its first page, not at the page
    that says it; its text hit was dropped."""
    from search.query import where_text

    hits = search(searched.conn, "农贸市场")  # the linked folder's name: every file in it, the PDF's page 2 too
    assert [h.where for h in hits] == ["name"] * 3
    (pdf,) = [h for h in hits if h.path.endswith(".pdf")]
    assert (pdf.page, pdf.pages, where_text(pdf)) == (2, [2], "文件名，正文第 2 页")
    assert pdf.snippet == "农贸市场/督查报告.pdf"
    (hit,) = search(searched.conn, "督查报告")  # no page says it: its name alone
    assert (hit.where, hit.page, where_text(hit)) == ("name", None, "文件名")
    assert "文件名，正文第 2 页：农贸市场/督查报告.pdf" in cli("search", searched.path, "农贸市场").stdout


def test_code_and_unit_scopes(searched):
    conn = searched.conn
    assert _names(search(conn, "食堂", Scope(conn, code="2"))) == ["明厨亮灶.docx"]
    assert search(conn, "食堂", Scope(conn, code="2.1")) == []
    assert _names(search(conn, "检测", Scope(conn, unit="县农业农村局"))) == ["快检室建设情况.docx", "快检记录.docx"]
    assert _names(search(conn, "覆盖率", Scope(conn, unit="县教育局"))) == ["明厨亮灶.docx"]


def test_cli_search_json_shape(searched):
    path = searched.path
    searched.close()
    hits = json.loads(cli("search", path, "快检室 台账", "--json").stdout)
    assert [(h["page"], set(h)) for h in hits] == [(None, {"path", "codes", "page", "snippet", "where", "pages"})]
    assert hits[0]["codes"] == ["2.1.1"] and "台账" in hits[0]["snippet"]
    text = cli("search", path, "台账", "--code", "2.1").stdout
    assert "第 3 页" in text and "共 2 个文件" in text
    assert cli("search", path, "台账", "--code", "9.9", check_code=1).stderr.startswith("错误：")


def test_queries_with_fts_syntax_are_plain_text(searched):
    for query in ("，", "*", '"', "AND", "NEAR(", "^快检", "台账 OR", "快检室 -台账", "a:b", "（六）"):
        assert isinstance(search(searched.conn, query), list), query
    assert search(searched.conn, "快检室 NOT") == []  # NOT is a word to find here, not an operator
