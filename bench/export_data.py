"""Generate archives for export benchmarks and tests: N criteria in three levels, M small files each, optional PDFs.

    make_archive(folder, criteria=300, files_per=20)                 # 6,000 small evidence files
    make_archive(folder, criteria=300, files_per=20, pdfs=200, pdf_pages=10, pdf_page_kb=500)  # + about 1 GB of PDF
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from archive.catalogue import store_catalogue
from archive.db import Archive, create_archive
from archive.index.scan import scan
from archive.links import link
from criteria.model import Catalogue, Criterion

UNITS = ("县食安办", "县市场监管局", "县农业农村局", "县教育局", "县卫健局", "县公安局", "县委宣传部")
TOPICS = ("食品安全工作会议纪要", "监督检查记录表", "快检台账", "培训签到表", "宣传活动总结", "整改通知书",
          "抽检结果报告", "责任清单", "考核评分表", "应急演练方案")


def make_catalogue(count: int) -> Catalogue:
    """About 1/25 top-level items, 4 second-level items each, the rest third-level: `count` criteria in all."""
    tops = max(1, count // 25)
    rows: list[Criterion] = []
    seconds: list[str] = []
    for t in range(1, tops + 1):
        rows.append(Criterion(str(t), f"第{t}部分 食品安全工作评价项目", None, 1, f"{t}、"))
        for s in range(1, 5):
            code = f"{t}.{s}"
            seconds.append(code)
            rows.append(Criterion(code, f"落实食品安全责任制度第{t}-{s}项", str(t), 2, f"（{s}）", points=4.0,
                                  method="资料审查", units=[UNITS[(t + s) % len(UNITS)]],
                                  rule="建立健全工作机制，明确责任分工，定期召开会议研究部署，未落实的每项扣 0.5 分。"))
    third = 0
    while len(rows) < count:
        parent = seconds[third % len(seconds)]
        number = third // len(seconds) + 1
        rows.append(Criterion(f"{parent}.{number}", f"开展专项整治并建立工作台账（{parent}.{number}）", parent, 3,
                              f"{number}.", points=2.0, method="资料审查、现场检查",
                              units=[UNITS[third % len(UNITS)], UNITS[(third + 3) % len(UNITS)]],
                              evidence="工作方案、会议纪要、检查记录、整改台账"))
        third += 1
    ordered = _tree_order(rows)
    return Catalogue("基准测试目录", ordered, source="bench")


def _tree_order(rows: list[Criterion]) -> list[Criterion]:
    children: dict[str | None, list[Criterion]] = {}
    for row in rows:
        children.setdefault(row.parent, []).append(row)
    ordered: list[Criterion] = []

    def visit(parent: str | None) -> None:
        for row in children.get(parent, []):
            ordered.append(row)
            visit(row.code)

    visit(None)
    return ordered


def make_pdf_bytes(pages: int, page_kb: int, seed: int) -> bytes:
    """A 'scanned' PDF: each page one JPEG of noise, about `page_kb` KB per page."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    rng = random.Random(seed)
    side = max(64, int((page_kb * 1024 / 0.85) ** 0.5))  # grey noise as JPEG q85: about 0.85 bytes per pixel
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for _ in range(pages):
        image = Image.frombytes("L", (side, side), rng.randbytes(side * side)).convert("RGB")
        jpeg = io.BytesIO()
        image.save(jpeg, "JPEG", quality=85)
        pdf.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 40, 60, width=515, height=720)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_archive(folder: str | Path, criteria: int = 300, files_per: int = 20, pdfs: int = 0, pdf_pages: int = 10,
                 pdf_page_kb: int = 50) -> Archive:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    archive = create_archive(folder / "基准.rrdb", "某某县")
    catalogue = make_catalogue(criteria)
    store_catalogue(archive, catalogue)
    evidence = folder / "证明材料"
    sample = make_pdf_bytes(pdf_pages, pdf_page_kb, 1) if pdfs else b""
    leaves = [c for c in catalogue.criteria if c.level == 3] or catalogue.criteria
    with_pdf = {leaves[i * len(leaves) // pdfs].code for i in range(pdfs)} if pdfs else set()
    for number, crit in enumerate(catalogue.criteria):
        target = evidence / f"{crit.code} {crit.title[:12]}"
        target.mkdir(parents=True, exist_ok=True)
        for n in range(files_per):
            name = f"{TOPICS[(number + n) % len(TOPICS)]}（第{n + 1}份）.txt"
            (target / name).write_text(f"{crit.code} 材料 {n}\n" * 4, encoding="utf-8")
        if crit.code in with_pdf:
            (target / "扫描件.pdf").write_bytes(sample)
        link(archive, crit.code, [str(target)])
    scan(archive)
    return archive
