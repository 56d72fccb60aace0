"""HEIC/HEIF photos (iPhones save them by default): their time, place, photographer and orientation read from the
EXIF block without decoding the picture, as a JPEG's are; files encoded by libheif as phones' encoders write them,
and laid out by hand in the shapes it does not write; damaged ones give nothing, never an exception."""

from __future__ import annotations

import io

import pytest
from metadata_support import heic_with_exif, heif_by_hand
from PIL import Image

from archive.index.scan import scan
from archive.links import link
from archive.metadata.extract import extract
from archive.metadata.heif import heif_exif
from archive.metadata.period import period_problems, save_period
from archive.metadata.store import metadata_for_files

PLACE = "北纬30.274100°，东经120.155100°"


def test_a_phone_heic_gives_time_place_photographer_and_orientation(tmp_path):
    path = heic_with_exif(tmp_path / "IMG_0001.HEIC", taken="2024:05:20 09:15:00", latitude=(30, 16, 26.76),
                          longitude=(120, 9, 18.36), orientation=6, author="张三")
    with pytest.raises(Image.UnidentifiedImageError):  # what the app's Pillow makes of it
        Image.open(path)
    expected = {"time": ("2024-05-20 09:15:00", "exif"), "place": (PLACE, "exif"), "photographer": ("张三", "exif"),
                "orientation": ("6", "exif")}
    assert extract(str(path), "heic") == extract(str(path), "heic", path.read_bytes()) == expected


def test_a_heic_without_exif_gives_its_name_only(tmp_path):
    path = heic_with_exif(tmp_path / "校园食堂检查 2024.5.20.heic")
    assert extract(str(path), "heic") == {"time": ("2024-05-20", "name"), "title": ("校园食堂检查", "name"),
                                          "subject": ("校园食堂检查", "name")}


@pytest.mark.parametrize("in_idat", [True, False], ids=["in the meta box's idat", "after it, at a base offset"])
def test_other_layouts_of_the_exif_item(in_idat):
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2024:03:05 14:30:12"
    block = exif.tobytes()
    assert block.startswith(b"Exif\x00\x00")
    assert heif_exif(io.BytesIO(heif_by_hand(block, in_idat))) == block


def test_damaged_heic_files_give_nothing(tmp_path):
    whole = heic_with_exif(tmp_path / "whole.heic", taken="2024:05:20 09:15:00").read_bytes()
    for size in (0, 12, 40, 200, len(whole) // 2):
        path = tmp_path / f"cut{size}.heic"
        path.write_bytes(whole[:size])
        assert extract(str(path), "heic") == {}
    assert heif_exif(io.BytesIO(b"\x00\x00\x00\x01meta" + b"\xff" * 8)) is None  # a box claiming 2^64 bytes


def test_a_heic_outside_the_creation_period_is_a_problem_after_a_scan(archive, tmp_path):
    folder = tmp_path / "照片"
    folder.mkdir()
    heic_with_exif(folder / "IMG_0002.HEIC", taken="2023:12:01 10:00:00")
    save_period(archive, "2024-01-01", "2026-06-30")
    link(archive, "1.1", [str(folder)])
    scan(archive)
    file_id, kind = archive.conn.execute("SELECT id, type FROM files").fetchone()
    meta = metadata_for_files(archive, [file_id])[file_id]
    assert kind == "heic" and meta["time"] == "2023-12-01 10:00:00" and meta.is_photo
    assert period_problems(archive, [file_id]) == {
        file_id: "日期不在创建周期内（时间 2023-12-01，创建周期 2024-01-01 至 2026-06-30）"}
