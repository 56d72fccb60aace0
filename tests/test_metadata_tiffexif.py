"""The hand-read EXIF tags (archive.metadata.tiffexif) give a photo's caption fields exactly as Pillow's full
Image.Exif reading does, for EXIF as phones, cameras and Windows write it, in both byte orders; a damaged block gives
what is whole and never raises."""

from __future__ import annotations

import random

import pytest
from metadata_support import jpeg_with_exif
from PIL import Image

from archive.metadata.exif import block_fields, exif_fields
from archive.metadata.imagehead import exif_block
from bench.corpus import _phone_exif


def pillow_fields(block: bytes) -> dict[str, str]:
    """The oracle: Pillow decodes every tag."""
    exif = Image.Exif()
    exif.load(block)
    return exif_fields(exif)


def block_of(exif: Image.Exif, endian: str) -> bytes:
    exif.endian = endian
    block = exif.tobytes()  # "Exif\0\0" and the TIFF structure, as a JPEG's APP1 segment holds it
    assert block[6:8] == (b"II" if endian == "<" else b"MM")
    return block


def blocks(tmp_path) -> list[tuple[str, bytes]]:
    written = [
        jpeg_with_exif(tmp_path / "a.jpg", taken="2024:03:05 14:30:12", latitude=(30, 16, 26.76),
                       longitude=(120, 9, 18.36), orientation=6, subject="校园食堂检查", author="张三",
                       comment="第一次检查"),
        jpeg_with_exif(tmp_path / "b.jpg", latitude=(-33, 51, 54.5), longitude=(-70, 39, 0.0),
                       description="食堂后厨".encode("gbk")),
        jpeg_with_exif(tmp_path / "c.jpg", taken="0000:00:00 00:00:00", description="检查现场".encode()),
        jpeg_with_exif(tmp_path / "d.jpg", orientation=8, maker_note=20000),
    ]
    found = [(path.name, exif_block(path.read_bytes())) for path in written]
    for endian in ("<", ">"):
        for n in (0, 3):
            found.append((f"phone {n} {endian}", block_of(_phone_exif(n, 640, 480), endian)))
        camera = Image.Exif()
        camera.update({0x010E: "OLYMPUS DIGITAL CAMERA", 0x013B: "摄影：李四", 0x0132: "2023:12:01 10:00"})
        camera.get_ifd(0x8825).update({1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)})  # no fix: no place
        found.append((f"camera {endian}", block_of(camera, endian)))
    return found


def test_the_fields_are_pillows_own(tmp_path):
    cases = blocks(tmp_path)
    for name, block in cases:
        assert block_fields(block) == pillow_fields(block), name
    assert {key for _, block in cases for key in block_fields(block)} == {
        "time", "place", "subject", "photographer", "note", "orientation"}  # every field is read somewhere


@pytest.mark.parametrize("seed", range(6))
def test_a_damaged_block_never_raises_and_keeps_what_is_whole(tmp_path, seed):
    rng = random.Random(seed)
    for name, block in blocks(tmp_path):
        whole = block_fields(block)
        for _ in range(40):
            damaged = bytearray(block[:rng.randrange(len(block) + 1)])
            for _ in range(rng.randrange(4)):
                if damaged:
                    damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            found = block_fields(bytes(damaged))
            assert isinstance(found, dict), name
            if damaged == block[:len(damaged)]:  # cut, not changed: nothing it reads is made up
                assert all(whole.get(key) == value for key, value in found.items() if key != "time"), name
