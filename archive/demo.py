"""A demo archive a newcomer can click through at once: real files in a Chinese evidence tree, in every state.

`make_demo(folder)` writes 证明材料/<unit>/<code> <title>/… following the built-in template, with small real PDF
(reportlab), DOCX (python-docx), XLSX (openpyxl), JPG (Pillow) and TXT files, leaves a few criteria without evidence,
adds two faulty files, links the tree by automap, scans, confirms a few criteria and then edits a file under one of
them, so every state (缺材料, 已收集, 已确认, 确认后有变更) and the change log have something to show.
No Qt here: the CLI and tests can build the same demo.
"""

from __future__ import annotations

import datetime
import os
import random
import shutil
import time
from pathlib import Path

from archive.catalogue import store_catalogue
from archive.confirm import confirm
from archive.db import create_archive
from archive.index.scan import scan
from archive.links import automap
from archive.metadata.period import save_period
from common.errors import UserError
from common.progress import CancelCheck, Progress, ProgressReporter
from criteria.model import Criterion
from criteria.template import load_template

DEMO_TITLE = "示例县创建国家食品安全示范城市（演示）"
ARCHIVE_NAME = "演示档案.rrdb"
EVIDENCE_DIR = "证明材料"
MARKER = ".reviewready-demo"  # only a folder carrying this marker is ever emptied by make_demo
LEFT_EMPTY = {"1.10", "2.5", "3.4", "4.3", "5.4.2", "5.5.2"}  # criteria deliberately without evidence
CONFIRMED = ("1.1", "1.2", "2.1", "4.1")
EDITED_AFTER_CONFIRM = "2.1"
DEMO_USER = "演示用户"
DEMO_PERIOD = ("2024-01-01", "2026-06-30")  # the creation period: the office's work counts from its start
BEFORE_PERIOD = "1.3"  # its folder also holds last year's summary, dated before the period (a problem on show)
# Deadlines as a task-breakdown table gives them, per part, in days from the day the demo is made: the first part's
# passed (its empty items show 逾期 in the gap list), the others ahead
PART_DEADLINES = {"1": -20, "2": 45, "3": 90, "4": 120, "5": 150}
KINDS = ("pdf", "docx", "xlsx", "jpg", "txt")
DOCUMENTS = {"pdf": ("关于{t}的通知", "{t}情况报告"), "docx": ("{t}实施方案", "{t}工作总结"),
             "xlsx": ("{t}工作台账",), "jpg": ("{t}现场照片",), "txt": ("{t}会议纪要",)}
FONT_CANDIDATES = ("C:/Windows/Fonts/simhei.ttf", "C:/Windows/Fonts/msyh.ttc", "C:/Windows/Fonts/simsun.ttc",
                   "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                   "/System/Library/Fonts/PingFang.ttc")


def find_cjk_font() -> str | None:
    """A TrueType CJK font file on this machine (PDF text and photo captions), or None."""
    return next((path for path in FONT_CANDIDATES if os.path.isfile(path)), None)


def is_demo(archive_path: str | Path) -> bool:
    """An archive make_demo made: it sits in a folder carrying the demo marker."""
    return (Path(archive_path).absolute().parent / MARKER).is_file()


def existing_demo(folder: str | Path) -> Path | None:
    """The demo archive already in `folder` (one the clerk may have worked in), or None."""
    path = Path(folder) / ARCHIVE_NAME
    return path if path.is_file() and is_demo(path) else None


def make_demo(folder: str | Path, progress: Progress | None = None, cancel: CancelCheck | None = None) -> Path:
    """Create (or re-create) the demo in `folder`; return the archive file's path."""
    job = ProgressReporter(progress, cancel)
    folder = Path(folder).absolute()
    _prepare(folder)
    catalogue = load_template()
    for crit in catalogue.criteria:
        if crit.code in PART_DEADLINES:
            crit.due = (datetime.date.today() + datetime.timedelta(days=PART_DEADLINES[crit.code])).isoformat()
    evidence = folder / EVIDENCE_DIR
    writer = _Writer(find_cjk_font())
    leaves = [c for c in catalogue.criteria if not any(k.parent == c.code for k in catalogue.criteria)]
    rng = random.Random(20240501)  # the same demo every time
    for done, crit in enumerate(leaves):
        job.report(0.6 * done / len(leaves), f"正在生成示例材料：{crit.code} {crit.title}")
        if crit.code not in LEFT_EMPTY:
            _write_criterion(writer, evidence, crit, rng)
    _write_faulty_files(evidence)
    _write_before_period(writer, evidence, catalogue.by_code()[BEFORE_PERIOD])
    job.report(0.6, "正在建立演示档案…")
    archive_path = folder / ARCHIVE_NAME
    with create_archive(archive_path, DEMO_TITLE) as archive:
        store_catalogue(archive, catalogue)
        save_period(archive, *DEMO_PERIOD)
        automap(archive, str(evidence))
        scan(archive, lambda f, m: job.report(0.6 + 0.3 * f, m), job.cancel)
        for code in CONFIRMED:
            confirm(archive, code, by=DEMO_USER, note="材料已核对齐全（演示）")
        job.report(0.95, "正在模拟确认后的修改…")
        _edit_after_confirm(evidence, catalogue.by_code())
        scan(archive, cancel=job.cancel)
    job.progress(1.0, "演示档案已生成")
    return archive_path


def _prepare(folder: Path) -> None:
    """Empty a previous demo; refuse to touch any other non-empty folder."""
    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARKER).is_file():
            raise UserError(f"文件夹 {folder} 不是演示档案文件夹且不为空，未做任何改动")
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("迎检通演示档案：此文件夹每次生成演示时会被清空重建。\n", encoding="utf-8")


def _criterion_folder(evidence: Path, crit: Criterion) -> Path:
    unit = crit.units[0] if crit.units else "县食安办"
    return evidence / unit / f"{crit.code} {crit.title}"


def _write_criterion(writer: _Writer, evidence: Path, crit: Criterion, rng: random.Random) -> None:
    target = _criterion_folder(evidence, crit)
    count = rng.randint(2, 5)
    kinds = ["pdf", *rng.sample(KINDS, count - 1)]
    if crit.code == EDITED_AFTER_CONFIRM and "txt" not in kinds:
        kinds.append("txt")  # its minutes get amended after the confirmation
    for number, kind in enumerate(kinds, start=1):
        title = rng.choice(DOCUMENTS[kind]).format(t=crit.title)
        sub = target / ("现场照片" if kind == "jpg" and rng.random() < 0.5 else "")
        path = sub / f"{crit.code}-{number} {title}.{kind}"
        path.parent.mkdir(parents=True, exist_ok=True)
        stamp = time.mktime((2024, rng.randint(1, 10), rng.randint(1, 28), rng.randint(8, 17), 0, 0, 0, 0, -1))
        writer.write(kind, path, title, crit, stamp)
        os.utime(path, (stamp, stamp))


def _write_faulty_files(evidence: Path) -> None:
    """What clerks really hand in now and then: an empty file and a renamed picture posing as a PDF."""
    folder = evidence / "县市场监管局" / "2.4 食品销售市场准入提升行动"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2.4-9 准入检查记录（空白）.docx").write_bytes(b"")
    (folder / "2.4-10 市场巡查记录.pdf").write_text("这是一个被改了扩展名的文本文件。\n", encoding="utf-8")


def _write_before_period(writer: _Writer, evidence: Path, crit: Criterion) -> None:
    """Last year's work summary, signed in December 2023: the creation period starts in 2024, so it shows as dated
    outside it (a clerk must decide whether it belongs in the dossier)."""
    path = _criterion_folder(evidence, crit) / f"{crit.code}-9 2023年度食品安全工作总结.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    writer.signed_docx(path, "2023年度食品安全工作总结", ["2023年，全县食品安全工作平稳有序。"],
                       crit.units[0] if crit.units else "县食安办", "2023年12月20日")
    stamp = time.mktime((2023, 12, 20, 10, 0, 0, 0, 0, -1))
    os.utime(path, (stamp, stamp))


def _edit_after_confirm(evidence: Path, by_code: dict[str, Criterion]) -> None:
    """Later work on the tree: minutes amended under a confirmed criterion (it turns 确认后有变更), a file
    renamed and another withdrawn elsewhere, so the change log shows every kind of change."""
    edited = _criterion_folder(evidence, by_code[EDITED_AFTER_CONFIRM])
    minutes = min(edited.rglob("*.txt"))
    with open(minutes, "a", encoding="utf-8") as handle:
        handle.write("补充：确认后又补记了第二季度的检查情况。\n")
    renamed = min(_criterion_folder(evidence, by_code["3.1"]).rglob("*.docx"), default=None)
    if renamed is not None:
        renamed.rename(renamed.with_name(renamed.stem + "（修订版）.docx"))
    withdrawn = max(_criterion_folder(evidence, by_code["2.2"]).rglob("*.*"), default=None)
    if withdrawn is not None and withdrawn.is_file():
        withdrawn.unlink()


class _Writer:
    """Small but real documents of each kind, with Chinese text."""

    def __init__(self, font_path: str | None):
        self.font_path = font_path
        self._pdf_font: str | None = None

    def write(self, kind: str, path: Path, title: str, crit: Criterion, stamp: float) -> None:
        body = [crit.rule or f"{crit.title}相关工作已按要求落实。", crit.evidence or "相关材料见附件。",
                f"责任单位：{'、'.join(crit.units) or '县食安办'}"]
        if kind == "jpg":
            self._jpg(path, title, body, stamp, crit.units[0] if crit.units else "县食安办")
        else:
            getattr(self, f"_{kind}")(path, title, body)

    def _pdf(self, path: Path, title: str, body: list[str]) -> None:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen.canvas import Canvas

        font = self._pdf_font_name()
        canvas = Canvas(str(path), pagesize=A4)
        canvas.setTitle(title)
        width, height = A4
        for page in range(1 + len(title) % 2):  # one or two pages
            canvas.setFont(font, 16)
            canvas.drawCentredString(width / 2, height - 90, title[:36])
            canvas.setFont(font, 11)
            y = height - 140
            for line in body:
                for start in range(0, len(line), 38):
                    canvas.drawString(70, y, line[start:start + 38])
                    y -= 20
            canvas.drawString(width / 2 - 20, 40, f"第 {page + 1} 页")
            canvas.showPage()
        canvas.save()

    def _pdf_font_name(self) -> str:
        if self._pdf_font is None:
            from reportlab.pdfbase import pdfmetrics

            self._pdf_font = "STSong-Light"  # a CID font readers substitute when no TrueType CJK font is found
            if self.font_path:
                from reportlab.pdfbase.ttfonts import TTFont

                try:
                    pdfmetrics.registerFont(TTFont("DemoCJK", self.font_path, subfontIndex=0))
                    self._pdf_font = "DemoCJK"
                except Exception:  # an unusable font only costs the demo its embedded font
                    self._pdf_font = "STSong-Light"
            if self._pdf_font == "STSong-Light":
                from reportlab.pdfbase.cidfonts import UnicodeCIDFont

                pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        return self._pdf_font

    def _docx(self, path: Path, title: str, body: list[str]) -> None:
        from docx import Document

        document = Document()
        document.add_heading(title, level=1)
        for line in body:
            document.add_paragraph(line)
        document.core_properties.title = title
        document.save(str(path))

    def signed_docx(self, path: Path, title: str, body: list[str], issuer: str, day: str) -> None:
        """A Word document with its 落款: the issuing body, then the date, each on a line of its own."""
        self._docx(path, title, [*body, issuer, day])

    def _xlsx(self, path: Path, title: str, body: list[str]) -> None:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "台账"
        sheet.append([title])
        sheet.append(["序号", "日期", "事项", "责任人", "完成情况"])
        for number in range(1, 9):
            sheet.append([number, f"2024-{number:02d}-15", f"第 {number} 次检查", "张三", "已完成"])
        book.save(str(path))

    def _jpg(self, path: Path, title: str, body: list[str], stamp: float, unit: str) -> None:
        """A picture with the EXIF a phone writes (time taken, GPS position) and the author Windows Explorer's
        properties add: the photo caption view then shows what a real photo gives before the clerk types a word."""
        from PIL import Image, ImageDraw, ImageFont

        seed = sum(map(ord, title))
        image = Image.new("RGB", (640, 420), (90 + seed % 80, 130 + seed % 60, 160 + seed % 50))
        draw = ImageDraw.Draw(image)
        draw.rectangle((60, 120, 580, 330), fill=(230, 230, 220))
        draw.rectangle((0, 360, 640, 420), fill=(30, 30, 30))
        if self.font_path:
            draw.text((16, 375), title[:26], fill="white", font=ImageFont.truetype(self.font_path, 22))
        image.save(str(path), "JPEG", quality=80, exif=_photo_exif(stamp, seed, f"{unit} 张三"))

    def _txt(self, path: Path, title: str, body: list[str]) -> None:
        path.write_text("\n".join([title, "时间：2024年  地点：县政府会议室", *body]) + "\n", encoding="utf-8")


def _photo_exif(stamp: float, seed: int, author: str):
    """EXIF of a phone's photo taken at `stamp` somewhere in the county, its author set as Explorer sets it."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 1  # orientation: upright
    exif[0x9C9D] = (author + "\0").encode("utf-16-le")  # XPAuthor
    exif.get_ifd(0x8769)[0x9003] = time.strftime("%Y:%m:%d %H:%M:%S", time.localtime(stamp))  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (30.0, float(10 + seed % 40), float(seed % 60))
    gps[3], gps[4] = "E", (120.0, float(5 + seed % 50), float(seed * 7 % 60))
    return exif
