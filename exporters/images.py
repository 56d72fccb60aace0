"""Make evidence photos fit for a page: EXIF orientation applied, huge images scaled down into a temp JPEG.

The evidence file itself is only read. A prepared copy goes into the export's temp folder (never beside the
evidence). Dimensions are checked from the header before anything is decoded, so a 400-megapixel scan cannot
exhaust memory: JPEGs are decoded at a reduced scale (draft mode), other formats above a limit are refused with a
problem the dossier lists.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 2000  # pixels of the prepared copy's longer side: about 240 dpi across an A4 text block
KEEP_AS_IS_BYTES = 3 << 20  # a small, upright JPEG/PNG is embedded unchanged
MAX_DECODE_PIXELS = 60_000_000  # non-JPEG images above this are not decoded (about 180 MB as RGB)
ORIENTATION_TAG = 0x0112


class ImageProblem(Exception):
    """The image cannot be embedded; the message (Chinese) goes into the dossier."""


@dataclass(frozen=True)
class PreparedImage:
    path: str
    width: int
    height: int


def prepare_image(path: str, workdir: str, number: int) -> PreparedImage:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                return _prepare(im, path, workdir, number)
    except Image.DecompressionBombError as exc:
        raise ImageProblem("图片像素过多（超过 1.7 亿像素），未嵌入") from exc
    except (UnidentifiedImageError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageProblem("图片文件已损坏或格式无法识别，未嵌入") from exc
    except OSError as exc:
        raise ImageProblem(f"图片无法读取（{exc.strerror or exc}），未嵌入") from exc


def _orientation(im: Image.Image) -> int:
    try:
        return int(im.getexif().get(ORIENTATION_TAG, 1))
    except (ValueError, TypeError, OSError):
        return 1


def _prepare(im: Image.Image, path: str, workdir: str, number: int) -> PreparedImage:
    width, height = im.size
    upright = _orientation(im) == 1
    if (im.format in ("JPEG", "PNG") and upright and max(width, height) <= MAX_SIDE * 1.2
            and os.path.getsize(path) <= KEEP_AS_IS_BYTES):
        return PreparedImage(path, width, height)
    if im.format == "JPEG":
        im.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at 1/2, 1/4 or 1/8 scale: huge photos stay cheap
    elif width * height > MAX_DECODE_PIXELS:
        raise ImageProblem(f"图片过大（{width}×{height} 像素），未嵌入")
    im.load()
    im = ImageOps.exif_transpose(im)
    im = _flatten(im)
    im.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    target = os.path.join(workdir, f"image-{number:05d}.jpg")
    im.save(target, "JPEG", quality=85, optimize=False)
    return PreparedImage(target, im.width, im.height)


def _flatten(im: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency, and a transparent PNG would come out black."""
    if im.mode in ("RGBA", "LA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return im.convert("RGB") if im.mode != "RGB" else im
