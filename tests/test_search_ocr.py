"""Optional OCR: images and scanned PDF pages are read only when asked, their text is searchable with the page, and
the estimate counts what will be read. The engine is RapidOCR when installed (requirements-ocr.txt); the plumbing is
tested here with a stand-in engine that returns a fixed line, the real engine where it is installed."""

from __future__ import annotations

import pytest

from archive.index.scan import scan
from archive.links import link
from search import ocr
from search.query import search
from search.texts import ocr_work, update_texts
from tests.messy_tree import write_image
from tests.search_support import write_pdf


class StandInEngine:
    def __init__(self):
        self.calls = 0

    def __call__(self, picture):
        self.calls += 1
        assert picture.ndim == 3 and picture.shape[2] == 3
        return [[[[0, 0]] * 4, "创建国家食品安全示范城市", 0.99]], None


@pytest.fixture
def scans(archive, tmp_path, monkeypatch):
    folder = tmp_path / "证明材料" / "宣传活动"
    write_image(folder / "横幅.jpg", ["创建国家食品安全示范城市"])
    write_pdf(folder / "签到表扫描件.pdf", ["培训签到表（封面）", None])
    link(archive, "1.1", [str(folder)])
    scan(archive)
    engine = StandInEngine()
    monkeypatch.setattr(ocr, "_engine", engine)
    return archive, engine


def test_ocr_runs_only_when_asked_and_its_pages_are_searchable(scans):
    archive, engine = scans
    update_texts(archive)
    assert engine.calls == 0 and search(archive.conn, "示范城市") == []
    assert ocr_work(archive.conn) == (1, 1)  # one picture, one scanned page: what the estimate is made of
    report = update_texts(archive, ocr=True)
    assert report.read == 2 and engine.calls == 2
    hits = {h.path.rsplit("/", 1)[-1]: h for h in search(archive.conn, "示范城市")}
    assert hits["签到表扫描件.pdf"].page == 2 and hits["横幅.jpg"].page is None
    assert "封面" in search(archive.conn, "封面")[0].snippet  # the text layer of page 1 is kept
    assert ocr_work(archive.conn) == (0, 0) and update_texts(archive, ocr=True).read == 0


def test_the_real_engine_reads_a_banner(tmp_path):
    pytest.importorskip("rapidocr_onnxruntime")
    path = write_image(tmp_path / "横幅.png", ["创建国家食品安全示范城市", "共建共享食品安全"])
    assert "创建国家食品安全示范城市" in ocr.extract_ocr(str(path), "png").pages[0][1]
