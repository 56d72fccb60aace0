"""A photo or screenshot cut short (a copy from a phone interrupted, a download stopped) is a problem on the file at
scan time, where the export had been the first to say so; a whole picture with more after its end (a motion
photo's video, Samsung's trailer, a depth map, a camera's padding) is not. The verdict is Pillow's own, the decoder
the export uses, for every cut of real JPEGs and PNGs but within their last bytes; there, and for a download's file
left with zeros, the file is short whatever the decoder makes of it (a small picture may decode without its end
marker; zeros may decode as a grey or garbled lower half, which the export would have shown)."""

from __future__ import annotations

import io
import os
import random

import pytest
from PIL import Image

from archive.index import picture_end
from archive.index.hashing import CHUNK, hash_file
from archive.index.scan import scan
from archive.links import link
from exporters import ExportOptions, plan_export


def _jpeg(**save) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((320, 240), 50).convert("RGB").save(buffer, "JPEG", quality=80, **save)
    return buffer.getvalue()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((200, 150), 50).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


def _with_thumbnail(data: bytes) -> bytes:
    """A camera's JPEG: a small whole JPEG (its own end marker) in an application segment before the picture."""
    small = _jpeg_small()
    return data[:2] + b"\xff\xe4" + (len(small) + 2).to_bytes(2, "big") + small + data[2:]


def _jpeg_small() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), "teal").save(buffer, "JPEG")
    return buffer.getvalue()


LAST_BYTES = 40  # a picture cut within these may still decode whole (an end marker, a zlib stream's checksum)
NOISE = random.Random(7).randbytes(40_000)
JPEG = _jpeg()
# name -> (the file's bytes, where its picture ends)
WHOLE_JPEGS = {
    "baseline": (JPEG, len(JPEG)),
    "progressive": (progressive := _jpeg(progressive=True), len(progressive)),
    "restart markers": (restarts := _jpeg(restart_marker_blocks=4), len(restarts)),
    "thumbnail inside": (thumbnailed := _with_thumbnail(JPEG), len(thumbnailed)),
    "motion photo": (JPEG + b"\x00\x00\x00\x18ftypmp42" + NOISE, len(JPEG)),  # Xiaomi, Huawei, Google: the video
    "samsung trailer": (JPEG + b"\x00\x00SEFH" + NOISE[:300] + b"SEFT", len(JPEG)),
    "depth map after": (JPEG + _jpeg_small(), len(JPEG)),  # the Multi-Picture Format's second picture
    "zero padding": (JPEG + bytes(4096), len(JPEG)),
}


def _pillow_refuses(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Exception:
        return True
    return False


def _verdict(kind: str, data: bytes) -> bool:
    """What the scan says: settled by the last bytes when they are the end, else by reading the structure."""
    return not picture_end.ends_whole(kind, data[-picture_end.TAIL:]) and picture_end.cut_short(kind, data)


@pytest.mark.parametrize("name", list(WHOLE_JPEGS))
def test_a_whole_jpeg_and_whatever_a_phone_puts_after_it_is_whole_and_every_cut_of_it_is_short(name):
    data, picture = WHOLE_JPEGS[name]
    assert not _pillow_refuses(data) and not _verdict("jpg", data)
    for cut in sorted({*range(2, 40, 3), *range(100, picture - LAST_BYTES, picture // 60), picture - LAST_BYTES}):
        assert _verdict("jpg", data[:cut]) and _pillow_refuses(data[:cut]), (name, cut)
    assert all(_verdict("jpg", data[:picture - cut]) for cut in range(1, LAST_BYTES))  # its end marker, and more
    if picture < len(data):  # cut inside what follows the picture: the picture is whole, and shown
        middle = data[:(picture + len(data)) // 2]
        assert not _verdict("jpg", middle) and not _pillow_refuses(middle)


def test_a_download_cut_short_and_left_with_zeros_is_short():
    data = JPEG
    preallocated = data[:len(data) // 2] + bytes(len(data) - len(data) // 2)  # a downloader's file, never filled
    assert _verdict("jpg", preallocated) and not _pillow_refuses(preallocated)  # shown with a garbled half before
    png = _png()
    assert _verdict("png", png[:len(png) // 2] + bytes(len(png) // 2))


def test_a_png_is_whole_to_its_iend_and_short_before_it():
    data = _png()
    assert not _verdict("png", data) and not _verdict("png", data + b"trailing data an app left")
    for cut in (9, 30, len(data) // 3, len(data) - LAST_BYTES):
        assert _verdict("png", data[:cut]) and _pillow_refuses(data[:cut]), cut
    assert all(_verdict("png", data[:-cut]) for cut in range(1, LAST_BYTES))  # IEND, whole or in part, and more


def test_the_scan_names_the_cut_short_pictures_and_forgets_it_once_copied_again(archive, tmp_path):
    folder = tmp_path / "证明材料" / "现场照片"
    folder.mkdir(parents=True)
    whole, motion, png = JPEG, WHOLE_JPEGS["motion photo"][0], _png()
    (folder / "检查现场.jpg").write_bytes(whole[:len(whole) * 2 // 3])
    (folder / "截图.png").write_bytes(png[:-20])
    (folder / "动态照片.jpg").write_bytes(motion)
    (folder / "会议照片.jpg").write_bytes(whole)
    link(archive, "1.1", [str(folder)])
    problems = {os.path.basename(p["path"]): p["problem"] for p in scan(archive).problems}
    assert problems == {"检查现场.jpg": picture_end.CUT_SHORT, "截图.png": picture_end.CUT_SHORT}
    plan = plan_export(archive, "pdf", ExportOptions())
    assert sorted(name.split(" ", 1)[1] for name in plan.problem_files) == ["截图", "检查现场"]
    (folder / "检查现场.jpg").write_bytes(whole)  # copied again from the phone
    os.utime(folder / "检查现场.jpg", ns=(1, 2_000_000_000_000_000_000))
    scan(archive)
    left = dict(archive.conn.execute("SELECT path, problem FROM files WHERE problem IS NOT NULL"))
    assert [os.path.basename(path) for path in left] == ["截图.png"]


@pytest.mark.parametrize("size", [CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5])
def test_the_hasher_keeps_the_last_bytes_it_read_over_every_chunk_boundary(tmp_path, size):
    """Files of more than one read: the end is the last bytes hashed, wherever the reads fall; a file whose end is
    not its picture's is read again whole and judged by its structure."""
    path = tmp_path / "照片.jpg"
    path.write_bytes(JPEG[:-2] + bytes(size - len(JPEG)) + b"\xff\xd9")  # whole: its end marker, far on
    assert hash_file(str(path)).problem is None
    path.write_bytes(JPEG[:-2] + bytes(size - len(JPEG) + 2))  # cut short, left with zeros
    assert hash_file(str(path)).problem == picture_end.CUT_SHORT
    path.write_bytes((JPEG + NOISE * (size // len(NOISE) + 1))[:size])  # a motion photo
    assert hash_file(str(path)).problem is None
