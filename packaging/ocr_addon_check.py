"""The OCR add-on's own check (its executable `ocr-check`): load RapidOCR with its bundled models and read a line
drawn with OpenCV. Exit 0 when the line is read back, 1 otherwise. Uses only what the add-on itself carries."""

from __future__ import annotations

import sys

import cv2
import numpy

LINE = "ReviewReady 2026"


def main() -> int:
    from rapidocr_onnxruntime import RapidOCR

    picture = numpy.full((120, 720, 3), 255, dtype=numpy.uint8)
    cv2.putText(picture, LINE, (20, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.6, (0, 0, 0), 3, cv2.LINE_AA)
    result, _ = RapidOCR()(picture)
    read = " ".join(line[1] for line in result or [])
    print(f"OCR add-on: read {read!r}")
    return 0 if "".join(LINE.split()).lower() in "".join(read.split()).lower() else 1


if __name__ == "__main__":
    sys.exit(main())
