"""The smallest PowerPoint file the scan types as .pptx (a zip with a ppt/ part); no PowerPoint library needed."""

from __future__ import annotations

import io
import zipfile

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/ppt/presentation.xml" ContentType="application/'
                 'vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>')
PRESENTATION = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>')


def minimal_pptx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("ppt/presentation.xml", PRESENTATION)
    return buffer.getvalue()
