"""Optional OCR of images and of PDF pages without a text layer, with RapidOCR on onnxruntime (requirements-ocr.txt).

Its Chinese models (PP-OCRv4) ship inside the wheel, so it works offline; it is not part of the standard install
(onnxruntime and OpenCV would push the Windows bundle past 150 MB), and the app runs it only when the user turns it
on, after showing how long it will take. Scanned PDF pages are read from the images embedded in them (pypdf): no PDF
renderer is needed.
"""

from __future__ import annotations

import io
import threading

from search.extract import Extracted

IMAGE_TYPES = frozenset({"jpg", "png", "bmp", "tif", "webp"})
SECONDS_PER_IMAGE = 6.0  # a 1000-pixel banner or sign-in sheet: measured 6-8 s on 2 cores shared with other jobs
MAX_IMAGE_PIXELS = 40_000_000
_engine = None
_lock = threading.Lock()


def available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def missing_message() -> str:
    """How to get OCR: the add-on folder for the Windows app, pip from source."""
    from common.app_paths import OCR_ADDON, is_frozen

    if is_frozen():
        return (f"未找到文字识别（OCR）组件：请把 OCR 附加组件的 {OCR_ADDON} 文件夹放在迎检通程序文件旁边"
                "（与 ReviewReady.exe 同一文件夹），然后重新启动迎检通")
    return "未安装文字识别（OCR）组件：请先运行 python -m pip install -r requirements-ocr.txt，然后重新启动迎检通"


def estimate_seconds(images: int, pages: int) -> float:
    return (images + pages) * SECONDS_PER_IMAGE


def _ocr():
    global _engine
    with _lock:
        if _engine is None:
            from rapidocr_onnxruntime import RapidOCR

            _engine = RapidOCR()
    return _engine


def read_image(data: bytes) -> str:
    """The text in one picture, lines in reading order ('' when it holds none or cannot be decoded)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                return ""
            rgb = image.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return ""
    import numpy

    result, _ = _ocr()(numpy.asarray(rgb)[:, :, ::-1])  # OpenCV's channel order
    return "\n".join(line[1] for line in result or [])


def extract_ocr(path: str, kind: str) -> Extracted:
    if kind in IMAGE_TYPES:
        with open(path, "rb") as handle:
            return Extracted(pages=[(None, read_image(handle.read()))])
    if kind == "pdf":
        return _pdf_with_scans(path)
    return Extracted(state="skipped")


def _pdf_with_scans(path: str) -> Extracted:
    """Every page's text layer, and for a page without one, the text of the pictures on it."""
    from search.extract import pdf_text

    layer = pdf_text(path)
    if layer.state == "failed" or not layer.blank:
        return layer
    from pypdf import PdfReader

    have = {page for page, _ in layer.pages}
    pages = list(layer.pages)
    reader = PdfReader(path, strict=False)
    for number, page in enumerate(reader.pages, start=1):
        if number in have:
            continue
        try:
            pictures = [image.data for image in page.images]
        except Exception:  # an image pypdf cannot decode: the page stays without text
            pictures = []
        text = "\n".join(read_image(data) for data in pictures)
        if text.strip():
            pages.append((number, text))
    layer.pages = sorted(pages, key=lambda p: p[0] or 0)
    layer.blank = len(reader.pages) - len(layer.pages)
    return layer
