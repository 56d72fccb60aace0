"""Near-identical photos within one criterion, pointed out before the export (archive practice: "反映同一场景的照片
一般只归档一张"), never dropped: the clerk decides which one to keep.

Each photo gets a difference hash (dHash: a 9×8 grey thumbnail, one bit per neighbouring pair, brighter or not) and
its mean colour. Two photos of a criterion are near-identical when at most NEAR_BITS of the 64 bits differ and
their colours are close (the hash ignores colour: two plain surfaces of different colours would otherwise match).
Pillow only (JPEGs decoded at 1/8 scale, draft mode: about 58 ms of CPU for a 12-megapixel JPEG of pure noise, the
worst case); only criteria with two photos or more are looked at, and hashes are kept per content (SHA-256) for the
process, so the export plan, asked again at every option change in the dialog, reads each photo once.
"""

from __future__ import annotations

import warnings

from PIL import Image

from exporters.attachments import attachment_kind
from exporters.evidence import CriterionEvidence, EvidenceFile, EvidenceSet

NEAR_BITS = 6  # of 64: re-saved, resized, slightly re-exposed copies of one shot; another shot differs by far more
NEAR_COLOUR = 24  # per channel, 0-255
_hashes: dict[str, tuple[int, tuple[float, float, float]] | None] = {}


def fingerprint(path: str) -> tuple[int, tuple[float, float, float]] | None:
    """(dHash, mean RGB) of a picture, or None when Pillow cannot read it (the dossier names such files anyway)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                im.draft("RGB", (160, 160))
                small = im.convert("RGB").resize((9, 8), Image.Resampling.BILINEAR)
    except Exception:  # any file Pillow chokes on is simply not compared: a foreign file never stops an export
        return None
    grey = small.convert("L").tobytes()
    bits = 0
    for row in range(8):
        for column in range(8):
            bits = bits << 1 | (grey[row * 9 + column] > grey[row * 9 + column + 1])
    pixels = small.tobytes()
    count = len(pixels) // 3
    colour = tuple(sum(pixels[channel::3]) / count for channel in range(3))
    return bits, colour


def _cached(f: EvidenceFile):
    key = f.sha256 or f.path
    if key not in _hashes:
        _hashes[key] = fingerprint(f.path)
    return _hashes[key]


def near(a, b) -> bool:
    return (bin(a[0] ^ b[0]).count("1") <= NEAR_BITS
            and all(abs(x - y) <= NEAR_COLOUR for x, y in zip(a[1], b[1], strict=True)))


def similar_groups(item: CriterionEvidence) -> list[list[EvidenceFile]]:
    """Groups (two or more) of this criterion's own photos that show the same scene, in catalogue order."""
    candidates = [f for f in item.files
                  if attachment_kind(f.type) == "image" and not f.problem and f.sha256 and f.available
                  and not f.same_as]  # the same photo twice is said once, as a copy
    if len(candidates) < 2:
        return []  # nothing to compare: no photo is opened
    photos = [(f, mark) for f in candidates if (mark := _cached(f)) is not None]
    parent = list(range(len(photos)))  # union-find: a photo near any of a group belongs to it

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(photos)):
        for j in range(i):
            if near(photos[i][1], photos[j][1]):
                parent[root(i)] = root(j)
    groups: dict[int, list[EvidenceFile]] = {}
    for i, (f, _) in enumerate(photos):
        groups.setdefault(root(i), []).append(f)
    return [group for group in groups.values() if len(group) > 1]


def describe(group: list[EvidenceFile]) -> str:
    return "、".join(f"{f.number} {f.title}" for f in group)


def plan_lines(evidence: EvidenceSet) -> list[str]:
    """One line per criterion with near-identical photos, for the export plan."""
    lines = []
    for item in evidence.items:
        for group in similar_groups(item):
            lines.append(f"近似照片（{item.code}，可能是同一场景，归档一般只保留一张，均会导出）：{describe(group)}")
    return lines
