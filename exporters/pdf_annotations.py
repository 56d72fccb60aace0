"""What a PDF shows on a page beside its content: its annotations' appearances, drawn over an attached page.

An attached page is copied as its content stream (exporters.pdf_merge); a page's annotations are not content. A
filled-in form (a 检查表 typed in WPS or Acrobat: its values and ticks are form fields), an electronic seal stamped on
an official document, a highlight: each is an annotation with an appearance of its own, and all were left out of
the dossier without a word, the form's fields blank, the document without its seal. Here the appearances of the
annotations a viewer shows (not hidden, not NoView, no popups) are drawn as one form over the page, each mapped to
its rectangle as ISO 32000 12.5.5 prescribes; the annotations themselves (links, comments' pop-ups) are not kept.
"""

from __future__ import annotations

from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject, StreamObject

HIDDEN, NO_VIEW = 1 << 1, 1 << 5  # annotation flags (ISO 32000 12.5.3)
PREFIX = "/RRAnnot"


def annotation_layer(pdf, space, page, box: tuple[float, float, float, float]):
    """A form XObject drawing the page's visible annotations' normal appearances over its content (in the page's
    default user space, clipped to `box`), written to `pdf`; None when the page has none to show."""
    annotations = _resolved(page.get("/Annots"))
    if not isinstance(annotations, ArrayObject):
        return None
    xobjects, drawing = DictionaryObject(), []
    for number, item in enumerate(annotations):
        annotation = item.get_object()
        found = _shown(annotation)
        if found is None:
            continue
        reference, matrix = found
        name = f"{PREFIX}{number}"
        xobjects[NameObject(name)] = pdf.copy(reference, space)
        drawing.append(f"q {' '.join(f'{v:.4f}' for v in matrix)} cm {name} Do Q")
    if not drawing:
        return None
    form = DecodedStreamObject()
    form.set_data("\n".join(drawing).encode())
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(v) for v in box)
    form[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
    return pdf.add(form)


def _shown(annotation) -> tuple[object, tuple[float, ...]] | None:
    """(reference to the normal appearance stream, matrix placing it on the page) of an annotation a viewer shows;
    None for a hidden one, a pop-up, one without an appearance or with an empty rectangle."""
    if not isinstance(annotation, DictionaryObject) or annotation.get("/Subtype") == "/Popup":
        return None
    if int(_resolved(annotation.get("/F")) or 0) & (HIDDEN | NO_VIEW):
        return None
    reference = _normal_appearance(annotation)
    rect = _resolved(annotation.get("/Rect"))
    if reference is None or not isinstance(rect, ArrayObject) or len(rect) != 4:
        return None
    stream = reference.get_object()
    matrix = placed(_resolved(stream.get("/BBox")), _resolved(stream.get("/Matrix")), [float(v) for v in rect])
    return None if matrix is None else (reference, matrix)


def _normal_appearance(annotation):
    """The indirect reference of the annotation's normal appearance: /AP /N, or its /AS state's (a check box's)."""
    appearances = _resolved(annotation.get("/AP"))
    if not isinstance(appearances, DictionaryObject):
        return None
    normal = appearances.raw_get("/N") if "/N" in appearances else None
    if normal is None:
        return None
    resolved = normal.get_object()
    if isinstance(resolved, DictionaryObject) and not isinstance(resolved, StreamObject):  # states
        state = _resolved(annotation.get("/AS"))
        normal = resolved.raw_get(state) if state is not None and state in resolved else None
        resolved = _resolved(normal)
    if not isinstance(resolved, StreamObject) or not hasattr(normal, "idnum"):
        return None  # a stream is always indirect in a valid PDF
    return normal


def _resolved(value):
    return value.get_object() if value is not None else None


def placed(bbox, matrix, rect: list[float]) -> tuple[float, ...] | None:
    """The matrix A of ISO 32000 12.5.5: the appearance's box, transformed by its own /Matrix (applied by the
    viewer when the form is drawn), scaled and moved onto the annotation's rectangle. None when either is empty."""
    if not isinstance(bbox, ArrayObject) or len(bbox) != 4:
        return None
    a, b, c, d, e, f = [float(v) for v in matrix] if isinstance(matrix, ArrayObject) and len(matrix) == 6 \
        else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    x1, y1, x2, y2 = (float(v) for v in bbox)
    corners = [(a * x + c * y + e, b * x + d * y + f) for x in (x1, x2) for y in (y1, y2)]
    left, right = min(x for x, _ in corners), max(x for x, _ in corners)
    bottom, top = min(y for _, y in corners), max(y for _, y in corners)
    r_left, r_right = sorted((rect[0], rect[2]))
    r_bottom, r_top = sorted((rect[1], rect[3]))
    if right - left <= 0 or top - bottom <= 0 or r_right - r_left <= 0 or r_top - r_bottom <= 0:
        return None
    sx, sy = (r_right - r_left) / (right - left), (r_top - r_bottom) / (top - bottom)
    return sx, 0.0, 0.0, sy, r_left - left * sx, r_bottom - bottom * sy
