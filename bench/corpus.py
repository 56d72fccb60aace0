"""Generate a realistic evidence corpus for benchmarks: N files in M folders of real PDF, DOCX, XLSX, JPG and TXT.

Two layouts: "large" (the default: 30% PDF, 25% DOCX, 25% photos of 120-410 KB with a phone's EXIF, 10% XLSX, 10% TXT;
4.2 GB at 50,000 files) and "small" (equal numbers of PDF, DOCX, XLSX, JPG and PNG, photos and screenshots of 40-140 KB;
2.3 GB at 50,000 files), where the cost of each file beyond its bytes counts most.

Real documents are slow to make one by one, so a few dozen real templates are made once and each file is a template
made unique in a way its format allows (a trailing PDF comment, a JPEG comment segment, a PNG text chunk, a ZIP comment
for DOCX/XLSX). Every file stays a valid document of its type, with a distinct SHA-256, and a picture ends with its
end marker as a camera's does.

    python bench/corpus.py ROOT [--files 50000] [--folders 2000] [--seed 1] [--layout large|small]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import struct
import sys
import zlib
from pathlib import Path

TOPICS = ["领导小组", "工作方案", "农残快检", "校园食堂", "网络订餐", "宣传教育", "应急演练", "检验检测", "监管队伍",
          "责任清单", "督查通报", "满意度调查", "特殊食品", "农村集体聚餐", "食品生产企业", "市场准入"]
MIX = [("pdf", 30), ("docx", 25), ("jpg", 25), ("xlsx", 10), ("txt", 10)]
SMALL_KINDS = ["pdf", "docx", "xlsx", "jpg", "png"]  # the small layout: one of each in turn


def _pdf_templates(rng: random.Random) -> list[bytes]:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = []
    for n in range(12):
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
        for page in range(1 + n % 8):
            pdf.drawString(72, 760, f"Evidence document {n} page {page + 1}")
            for line in range(40):
                pdf.drawString(72, 740 - line * 16, "".join(rng.choice("abcdefgh ") for _ in range(80)))
            pdf.showPage()
        pdf.save()
        out.append(buffer.getvalue())
    return out


def _docx_templates(rng: random.Random) -> list[bytes]:
    from docx import Document

    out = []
    for n in range(8):
        doc = Document()
        doc.add_heading(f"关于{TOPICS[n]}工作的通知", 1)
        for _ in range(10 + n * 8):
            doc.add_paragraph("".join(rng.choice("食品安全示范城市创建工作方案责任落实到位") for _ in range(120)))
        buffer = io.BytesIO()
        doc.save(buffer)
        out.append(buffer.getvalue())
    return out


def _xlsx_templates(rng: random.Random) -> list[bytes]:
    from openpyxl import Workbook

    out = []
    for n in range(5):
        book = Workbook()
        sheet = book.active
        sheet.append(["日期", "单位", "样品", "结果"])
        for row in range(50 + n * 100):
            sheet.append([f"2024-{1 + row % 12:02d}-{1 + row % 28:02d}", rng.choice(TOPICS), f"样品{row}", "合格"])
        buffer = io.BytesIO()
        book.save(buffer)
        out.append(buffer.getvalue())
    return out


def _jpg_templates(rng: random.Random, small: bool = False) -> list[bytes]:
    from PIL import Image

    out = []
    for n in range(10):
        if small:
            width, height = 400 + 80 * (n % 3), 300 + 60 * (n % 3)
        else:
            width, height = 640 + 160 * (n % 4), 480 + 120 * (n % 3)
        noise = Image.effect_noise((width, height), 40 + n * 4).convert("RGB")
        buffer = io.BytesIO()
        noise.save(buffer, "JPEG", quality=70 + n * 2, exif=_phone_exif(n, width, height))
        out.append(buffer.getvalue())
    return out


def _phone_exif(n: int, width: int, height: int):
    """EXIF as a phone writes it (make, model, exposure, the moment it was taken, where): what the scan's metadata
    reader parses for every photo of a real folder."""
    from PIL import Image

    exif = Image.Exif()
    exif.update({0x010F: "HUAWEI", 0x0110: "ELS-AN00", 0x0131: "ELS-AN00 4.0.0.120", 0x0132: "2024:05:20 09:15:00",
                 0x0112: 1, 0x011A: 72.0, 0x011B: 72.0, 0x0128: 2})
    exif.get_ifd(0x8769).update({
        0x829A: 0.01, 0x829D: 1.8, 0x8827: 100 + 50 * n, 0x9003: f"2024:05:{10 + n:02d} 09:15:00",
        0x9004: f"2024:05:{10 + n:02d} 09:15:00", 0x9201: 6.64, 0x9202: 1.69, 0x9204: 0.0, 0x9207: 5, 0x9209: 16,
        0x920A: 5.58, 0xA001: 1, 0xA002: width, 0xA003: height, 0xA403: 0, 0xA405: 27, 0xA406: 0})
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (30.0, 16.0, 26.76 + n), 3: "E", 4: (120.0, 9.0, 18.36), 6: 12.0, 29: "2024:05:20"})
    return exif


def _png_templates(rng: random.Random) -> list[bytes]:
    """Screenshot-sized PNGs; noise keeps them from compressing to nothing."""
    from PIL import Image

    out = []
    for n in range(6):
        width, height = 180 + 20 * n, 120 + 10 * n
        noise = Image.effect_noise((width, height), 30 + n * 5).convert("RGB")
        buffer = io.BytesIO()
        noise.save(buffer, "PNG")
        out.append(buffer.getvalue())
    return out


def _unique(kind: str, template: bytes, serial: int) -> bytes:
    tag = f"rr-bench-{serial}".encode()
    if kind in ("docx", "xlsx"):  # rewrite the empty ZIP comment of the end-of-central-directory record
        end = template.rfind(b"PK\x05\x06")
        return template[:end + 20] + struct.pack("<H", len(tag)) + tag
    if kind == "pdf":
        return template + b"\n%" + tag + b"\n"
    # JPEG and PNG keep their end marker last, as a camera's or WeChat's picture does (a picture whose last bytes
    # are not its end is read again by the scan: archive.index.picture_end)
    if kind == "png":  # a text chunk before IEND
        return template[:-12] + _png_chunk(b"tEXt", b"Comment\x00" + tag) + template[-12:]
    at = 2  # a comment segment after SOI and the APPn segments (EXIF stays where readers look for it)
    while template[at + 1] & 0xF0 == 0xE0:
        at += 2 + int.from_bytes(template[at + 2:at + 4], "big")
    return template[:at] + b"\xff\xfe" + struct.pack(">H", len(tag) + 2) + tag + template[at:]


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def make_corpus(root: str | Path, files: int = 50_000, folders: int = 2_000, seed: int = 1,
                layout: str = "large") -> Path:
    rng = random.Random(seed)
    root = Path(root)
    small = layout == "small"
    templates = {"pdf": _pdf_templates(rng), "docx": _docx_templates(rng), "xlsx": _xlsx_templates(rng),
                 "jpg": _jpg_templates(rng, small)}
    if small:
        templates["png"] = _png_templates(rng)
    tops = max(1, folders // 20)
    dirs = []
    for index in range(folders):
        top = index % tops
        top_name = f"{1 + top // 10}.{1 + top % 10} {TOPICS[top % len(TOPICS)]}"
        dirs.append(root / top_name / f"{2022 + index % 3}年第{index}批材料")
    for folder in dirs:
        folder.mkdir(parents=True, exist_ok=True)
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    for serial in range(files):
        kind = SMALL_KINDS[serial % len(SMALL_KINDS)] if small else rng.choice(kinds)
        folder = dirs[serial % len(dirs)]
        name = f"{TOPICS[serial % len(TOPICS)]}材料{serial:06d}.{kind}"
        if kind == "txt":
            data = ("佐证材料说明：" + TOPICS[serial % len(TOPICS)] * 40 + f"\n编号 {serial}\n").encode()
        else:
            data = _unique(kind, rng.choice(templates[kind]), serial)
        (folder / name).write_bytes(data)
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root")
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--folders", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--layout", choices=["large", "small"], default="large")
    args = parser.parse_args()
    make_corpus(args.root, args.files, args.folders, args.seed, args.layout)
    total = sum(f.stat().st_size for f in Path(args.root).rglob("*") if f.is_file())
    print(f"{args.files} files in {args.folders} folders, {total / 1e9:.2f} GB under {args.root}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sys.exit(main())
