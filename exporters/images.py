"""Make evidence photos fit for a page: EXIF orientation applied, huge images scaled down into a temp JPEG.

The evidence file itself is only read. A prepared copy goes into the export's temp folder (never beside the
evidence). Dimensions are checked from the header before anything is decoded, so a 400-megapixel scan cannot
exhaust memory: JPEGs are decoded at a reduced scale (draft mode), other formats above a limit are refused with a
problem the dossier lists.

A file is embedded unchanged only when both consumers are known to take it: python-docx must size it from its
header (it refuses CMYK/Adobe JPEGs, JPEGs without a JFIF or valid EXIF segment, ...) and Pillow must decode it
whole (reportlab decodes PNGs with Pillow in the middle of the layout, where a broken data stream used to stop the
dossier). Anything else Pillow can read (CMYK, 16-bit, palette with transparency, APNG, TIFF, WebP, BMP, GIF) is
converted to an upright RGB JPEG; what Pillow cannot read becomes a problem on the file. A long screenshot is
cut into page-high pieces instead of being reduced whole (exporters.picture_slices); each page of a multi-page TIFF
(a fax, a scanner's document) becomes such a piece, and a phone's screenshot is one, and so is a scanned sheet of
paper: a page of its own.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from exporters.picture_slices import cut, document_frames, is_long, is_tall, looks_like_a_page

MAX_SIDE = 2000  # pixels of the prepared copy's longer side: about 240 dpi across an A4 text block
KEEP_AS_IS_BYTES = 3 << 20  # a small, upright JPEG/PNG is embedded unchanged
MAX_DECODE_PIXELS = 60_000_000  # non-JPEG images above this are not decoded (about 180 MB as RGB)
MAX_PAGES = 500  # of a multi-page TIFF
ORIENTATION_TAG = 0x0112
AS_IS_MODES = {"JPEG": ("RGB", "L"), "PNG": ("RGB", "L", "RGBA")}
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif")
HEIF_PROBLEM = "HEIC/HEIF 格式的照片，未嵌入"  # to the reviewers too: the way out is in the export plan (attachments)


class ImageProblem(Exception):
    """The image cannot be embedded; the message (Chinese) goes into the dossier."""


@dataclass(frozen=True)
class PreparedImage:
    path: str
    width: int
    height: int
    # pages of its own: a long picture's pieces, a multi-page TIFF's pages, a phone's screenshot whole (path is
    # then the first one's)
    pieces: tuple[PreparedImage, ...] = ()
    sheet: bool = False  # a scanned sheet of paper: a document, shown without a photo's caption (事由, 地点 …)

    @property
    def pages(self) -> int:
        return len(self.pieces) or 1


def prepare_image(path: str, workdir: str, number: int) -> PreparedImage:
    if _is_heif(path):
        raise ImageProblem(HEIF_PROBLEM)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                prepared = _prepare(im, path, workdir, number)
                if prepared.pieces:
                    return prepared
                if is_tall(prepared.width, prepared.height):  # a phone's screenshot
                    return PreparedImage(prepared.path, prepared.width, prepared.height, (prepared,))
                if looks_like_a_page(prepared.path):  # a scanned sheet
                    return PreparedImage(prepared.path, prepared.width, prepared.height, (prepared,), sheet=True)
                return prepared
    except ImageProblem:
        raise
    except Image.DecompressionBombError as exc:
        raise ImageProblem("图片像素过多（超过 1.7 亿像素），未嵌入") from exc
    except (UnidentifiedImageError, SyntaxError, EOFError) as exc:
        raise ImageProblem("图片文件已损坏或格式无法识别，未嵌入") from exc
    except OSError as exc:
        if exc.errno is not None:  # the file system said no (permission, vanished, I/O error)
            raise ImageProblem(f"图片无法读取（{exc.strerror or exc}），未嵌入") from exc
        raise ImageProblem("图片文件已损坏或不完整，未嵌入") from exc  # Pillow: truncated, broken data stream
    except Exception as exc:  # a decoder bug on one clerk's photo must not stop the dossier
        raise ImageProblem("图片文件已损坏或格式无法识别，未嵌入") from exc


def _is_heif(path: str) -> bool:
    """HEIC (iPhone photos) and AVIF: an ISO box 'ftyp' with a HEIF brand. Pillow has no decoder for them."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(32)
    except OSError:
        return False
    return head[4:8] == b"ftyp" and any(brand in head[8:32] for brand in HEIF_BRANDS)


def _orientation(im: Image.Image) -> int:
    try:
        return int(im.getexif().get(ORIENTATION_TAG, 1))
    except Exception:  # a broken EXIF block: treat the photo as upright rather than lose it
        return 1


def _prepare(im: Image.Image, path: str, workdir: str, number: int) -> PreparedImage:
    width, height = im.size
    if im.format == "TIFF" and getattr(im, "n_frames", 1) > 1:  # a fax or a scanner's multi-page document
        if im.n_frames > MAX_PAGES:
            raise ImageProblem(f"多页图片有 {im.n_frames} 页，超过 {MAX_PAGES} 页，未嵌入")
        if len(frames := document_frames(im)) > 1:
            return _prepare_pages(im, frames, workdir, number)
        im.seek(frames[0])  # one page and its thumbnail: the page, wherever it is
        width, height = im.size
    if not is_long(width, height) and not is_long(height, width) and _usable_as_is(im, path):
        return PreparedImage(path, width, height)
    if im.format == "JPEG":
        im.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at 1/2, 1/4 or 1/8 scale: huge photos stay cheap
    elif width * height > MAX_DECODE_PIXELS:
        raise ImageProblem(f"图片过大（{width}×{height} 像素），未嵌入")
    im.load()
    im = _upright(im)
    im = _to_rgb(im)
    if is_long(im.width, im.height):  # a long screenshot: read across pages, not shrunk into a strip
        pieces = tuple(PreparedImage(*piece) for piece in cut(im, workdir, number))
        return PreparedImage(pieces[0].path, pieces[0].width, pieces[0].height, pieces)
    im.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    target = os.path.join(workdir, f"image-{number:05d}.jpg")
    im.save(target, "JPEG", quality=85, optimize=False)
    return PreparedImage(target, im.width, im.height)


def _prepare_pages(im: Image.Image, frames: list[int], workdir: str, number: int) -> PreparedImage:
    """Each page of a multi-page TIFF (`frames`: picture_slices.document_frames), upright and reduced, as a piece
    shown on a page of its own: only the first was shown, and the others were lost without a word."""
    pieces = []
    for page_number, frame in enumerate(frames, start=1):
        im.seek(frame)
        if im.width * im.height > MAX_DECODE_PIXELS:
            raise ImageProblem(f"图片第 {page_number} 页过大（{im.width}×{im.height} 像素），未嵌入")
        page = _to_rgb(_upright(im.copy()))
        page.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        target = os.path.join(workdir, f"image-{number:05d}-{page_number:03d}.jpg")
        page.save(target, "JPEG", quality=85, optimize=False)
        pieces.append(PreparedImage(target, page.width, page.height))
    return PreparedImage(pieces[0].path, pieces[0].width, pieces[0].height, tuple(pieces))


def _usable_as_is(im: Image.Image, path: str) -> bool:
    """Small, upright, a plain mode, one frame, sized by python-docx and decodable whole.

    The first decode must be the one that can fail: after a failed load Pillow's next load() silently does
    nothing, and a PNG's getexif() loads (its EXIF may follow the pixels), so the orientation of a PNG is read
    only after the check."""
    width, height = im.size
    if (im.mode not in AS_IS_MODES.get(im.format or "", ()) or getattr(im, "n_frames", 1) > 1
            or max(width, height) > MAX_SIDE * 1.2 or os.path.getsize(path) > KEEP_AS_IS_BYTES
            or not _docx_can_size(path)):
        return False
    if im.format == "JPEG":
        if _orientation(im) != 1:  # from the APP1 segment: nothing decoded yet
            return False
        im.draft(im.mode, (max(1, width // 8), max(1, height // 8)))  # the whole stream, at an eighth of the cost
    im.load()  # a broken stream raises here, before the layout, and becomes this file's problem
    return _orientation(im) == 1


def _docx_can_size(path: str) -> bool:
    from docx.image.image import Image as DocxImage

    try:
        DocxImage.from_file(path)
    except Exception:  # UnrecognizedImageError, UnexpectedEndOfFileError, struct errors on a broken header
        return False
    return True


def _upright(im: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(im)
    except Exception:  # an EXIF block Pillow cannot parse: keep the pixels as stored
        return im


def _to_rgb(im: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency, and a transparent PNG would come out black. 16-bit and 32-bit
    greys are scaled down, not clipped (a plain convert turns most of a 16-bit scan white)."""
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        im = im.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    elif im.mode in ("I", "F"):
        low, high = im.getextrema()
        scale = 255 / (high - low) if high > low else 1
        im = im.convert("F").point(lambda v: (v - low) * scale).convert("L")
    if im.mode in ("RGBA", "LA", "PA") or (im.mode in ("P", "L", "RGB") and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    try:
        return im.convert("RGB") if im.mode != "RGB" else im
    except ValueError as exc:
        raise ImageProblem(f"图片的颜色格式（{im.mode}）无法转换，未嵌入") from exc


EXIF_IFD = 0x8769
DATETIME_ORIGINAL, DATETIME = 0x9003, 0x0132


def photo_time(path: str) -> str:
    """When the photo was taken, from its EXIF ("2024-03-05 14:20"), or "" when it does not say."""
    try:
        with Image.open(path) as im:
            exif = im.getexif()
            stamp = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    except Exception:  # no EXIF, or one Pillow cannot parse: the caption falls back to the file's time
        return ""
    if not isinstance(stamp, str) or len(stamp) < 16:
        return ""
    return f"{stamp[:4]}-{stamp[5:7]}-{stamp[8:10]} {stamp[11:16]}"
