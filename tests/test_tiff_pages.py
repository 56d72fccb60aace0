"""A TIFF's page count in the index (archive.index.tiffpages): a fax's three pages showed no 页数 in the evidence
table, though the dossier attaches them as three pages; thumbnails and masks are not pages, in either."""

from __future__ import annotations

import struct

from PIL import Image, ImageDraw
from test_long_pictures import fax, with_subfile_types

from archive.index.filetypes import count_pages
from archive.index.scan import scan
from archive.index.tiffpages import page_count
from archive.links import link
from exporters.picture_slices import pages_of


def reader(data: bytes):
    return lambda offset, length: data[offset:offset + length]


def big_endian_tiff(subfile_types: list[int]) -> bytes:
    """Directories only, as a big-endian (Motorola) writer lays them out, each with its NewSubfileType as a SHORT:
    enough for the chain, no picture."""
    data = bytearray(b"MM\0*" + struct.pack(">I", 8))
    for number, subfile_type in enumerate(subfile_types):
        following = 0 if number == len(subfile_types) - 1 else len(data) + 2 + 2 * 12 + 4
        data += struct.pack(">H", 2)
        data += struct.pack(">HHI", 254, 3, 1) + struct.pack(">H", subfile_type) + b"\0\0"
        data += struct.pack(">HHII", 256, 4, 1, 1240)
        data += struct.pack(">I", following)
    return bytes(data)


def test_pages_are_the_directories_that_are_pages(tmp_path):
    path = fax(tmp_path / "传真.tif", tiffinfo={254: 0})
    assert page_count(reader(path.read_bytes())) == 3 == pages_of(str(path))
    with_subfile_types(path, [0, 1, 0])  # the second a thumbnail of the first
    assert page_count(reader(path.read_bytes())) == 2 == pages_of(str(path))
    assert page_count(reader(big_endian_tiff([0, 1, 0, 4, 0]))) == 3


def test_a_chain_that_cannot_be_followed_counts_nothing(tmp_path):
    whole = fax(tmp_path / "传真.tif").read_bytes()
    assert page_count(reader(whole[:20])) is None  # cut in its first directory
    looped = bytearray(big_endian_tiff([0, 0]))
    looped[-4:] = struct.pack(">I", 8)  # the last directory points back at the first
    assert page_count(reader(bytes(looped))) is None
    assert page_count(reader(b"%PDF-1.7\n")) is None and page_count(reader(b"")) is None
    assert page_count(reader(b"II+\0" + whole[4:])) is None  # BigTIFF: not followed


def test_a_scan_counts_a_tiffs_pages(archive, evidence, tmp_path):
    folder = evidence / "1.3 传真"
    folder.mkdir()
    three = fax(folder / "省局通知传真件.tif")
    page = Image.new("L", (600, 800), 255)
    ImageDraw.Draw(page).text((50, 50), "one page", fill=0)
    page.save(folder / "单页扫描件.tif")
    link(archive, "1.2", [str(folder)])
    scan(archive)
    assert pages(archive) == {"省局通知传真件.tif": 3, "单页扫描件.tif": 1}
    assert count_pages(str(three), "tif") == (3, None)  # read at offsets, as a file over the whole-read limit is
    with archive.atomic():  # as a version that counted no TIFF's pages left them
        archive.conn.execute("UPDATE files SET pages = NULL")
    (folder / "说明.txt").write_text("传真件说明", encoding="utf-8")
    scan(archive)
    assert pages(archive)["省局通知传真件.tif"] == 3


def pages(archive) -> dict[str, int | None]:
    rows = archive.conn.execute("SELECT path, pages FROM files WHERE type = 'tif'")
    return {path.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]: count for path, count in rows}
