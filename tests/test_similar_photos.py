"""Near-identical photos of one criterion are named before the export (the plan) and in the internal edition, and
still exported: a re-saved, resized, re-exposed copy of a shot matches it; another shot and a plain colour do not."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_helpers import flat_outline, options, page_texts, populate
from PIL import Image, ImageDraw, ImageEnhance

from exporters import export, plan_export
from exporters.similar_photos import fingerprint, near


def scene(path: Path, seed: int, size=(800, 600)) -> Path:
    image = Image.new("RGB", size, (200, 190, 170))
    draw = ImageDraw.Draw(image)
    for n in range(12):
        x = (seed * 97 + n * 131) % size[0]
        y = (seed * 53 + n * 71) % size[1]
        draw.rectangle((x, y, x + 120, y + 90), fill=((seed * 40 + n * 20) % 255, (n * 35) % 255, (seed * 90) % 255))
    image.save(path, "JPEG", quality=92)
    return path


def retaken(source: Path, target: Path) -> Path:
    """The same scene re-saved smaller, a little brighter, at a lower quality: what a second shot or a copy is."""
    with Image.open(source) as im:
        copy = ImageEnhance.Brightness(im.resize((640, 480))).enhance(1.06)
        copy.save(target, "JPEG", quality=70)
    return target


@pytest.fixture
def photos(evidence):
    folder = evidence / "1.2 工作方案"
    original = scene(folder / "场景甲.jpg", 1)
    retaken(original, folder / "场景甲复拍.jpg")
    scene(folder / "场景乙.jpg", 7)
    return folder


def test_the_hash_tells_a_copy_from_another_shot(photos):
    a, copy, other = (fingerprint(str(photos / name)) for name in ("场景甲.jpg", "场景甲复拍.jpg", "场景乙.jpg"))
    assert near(a, copy) and not near(a, other) and not near(copy, other)
    flat_red, flat_blue = photos / "红.png", photos / "蓝.png"
    Image.new("RGB", (50, 50), "red").save(flat_red)
    Image.new("RGB", (50, 50), "blue").save(flat_blue)
    assert not near(fingerprint(str(flat_red)), fingerprint(str(flat_blue)))  # same (empty) hash, other colours
    assert fingerprint(str(photos / "损坏.jpg")) is None


@pytest.mark.cjk_font
def test_named_in_the_plan_and_the_internal_edition_and_all_exported(archive, evidence, photos, tmp_path):
    populate(archive, evidence)
    lines = [line for line in plan_export(archive, "pdf", options()).lines() if line.startswith("近似照片")]
    assert len(lines) == 1 and lines[0].startswith("近似照片（1.2，")
    assert lines[0].count("场景甲") == 2 and "场景乙" not in lines[0] and "现场照片" not in lines[0]
    review, internal = tmp_path / "送审.pdf", tmp_path / "内部.pdf"
    export(archive, "pdf", review, options())
    export(archive, "pdf", internal, options(edition="internal"))
    internal_text = "".join("".join(page_texts(internal)).split())
    assert "近似照片：" in internal_text and "可能反映同一场景" in internal_text
    assert "近似照片" not in "".join(page_texts(review))
    for path in (review, internal):
        marks = " ".join(flat_outline(path))
        assert marks.count("场景甲") == 2 and "场景乙" in marks  # never dropped
