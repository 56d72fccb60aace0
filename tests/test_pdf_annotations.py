"""An attached PDF's annotations are shown as a viewer shows them: a filled-in form's values, a stamp (an electronic
seal), not a hidden one; each appearance placed on its rectangle as ISO 32000 12.5.5 says."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from export_helpers import flat_outline, options, page_texts
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
)
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from archive.index.scan import scan
from archive.links import link
from exporters import export
from exporters.pdf_annotations import placed


def _array(*values) -> ArrayObject:
    return ArrayObject(FloatObject(v) for v in values)


def _stamp(writer: PdfWriter, rect, text: str, flags: int = 4, matrix=None) -> DictionaryObject:
    """A stamp annotation (as an electronic seal is put on a document): a red disc and a word, drawn in its own
    box (0 0 100 100)."""
    appearance = DecodedStreamObject()
    appearance.set_data(f"1 0 0 rg 50 50 m 100 50 l 100 100 l 50 100 l f BT /F1 12 Tf 10 20 Td ({text}) Tj ET".encode())
    appearance.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                       NameObject("/BBox"): _array(0, 0, 100, 100)})
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    appearance[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    if matrix:
        appearance[NameObject("/Matrix")] = _array(*matrix)
    return DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Stamp"),
        NameObject("/Rect"): _array(*rect), NameObject("/F"): NumberObject(flags),
        NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(appearance)})})


def annotated_pdf(path) -> None:
    """A one-page form: a text field filled in, a ticked box, a visible stamp in the upper right, a hidden one."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawString(72, 760, "Inspection form")
    pdf.acroForm.textfield(name="name", value="FILLED-VALUE", x=130, y=690, width=200, height=20)
    pdf.acroForm.checkbox(name="ok", x=130, y=650, checked=True, buttonStyle="check")
    pdf.showPage()
    pdf.save()
    writer = PdfWriter(clone_from=PdfReader(buffer))
    page = writer.pages[0]
    for annotation in (_stamp(writer, (395, 692, 495, 792), "SEALED"), _stamp(writer, (72, 72, 172, 172), "HIDDEN", 2)):
        page[NameObject("/Annots")].append(writer._add_object(annotation))
    writer.write(path)


def test_the_appearance_box_is_mapped_onto_the_rectangle_through_its_own_matrix():
    assert placed(_array(0, 0, 100, 50), None, [10, 20, 210, 120]) == (2.0, 0.0, 0.0, 2.0, 10.0, 20.0)
    # turned a quarter by its matrix: the box 100 wide, 50 tall stands 50 wide, 100 tall
    assert placed(_array(0, 0, 100, 50), _array(0, 1, -1, 0, 0, 0), [0, 0, 50, 100]) == (1.0, 0.0, 0.0, 1.0, 50.0, 0.0)
    assert placed(_array(0, 0, 100, 50), None, [10, 20, 10, 120]) is None  # an empty rectangle shows nothing
    assert placed(None, None, [0, 0, 1, 1]) is None


@pytest.mark.cjk_font
def test_a_filled_form_and_a_stamp_are_shown_on_the_attached_page_a_hidden_one_is_not(archive, evidence, tmp_path):
    folder = evidence / "1.3 检查表"
    folder.mkdir()
    annotated_pdf(folder / "检查表.pdf")
    link(archive, "1.2", [str(folder)])
    scan(archive)
    path = tmp_path / "汇编.pdf"
    export(archive, "pdf", path, options(codes=["1.2"]))
    number = flat_outline(path)["1.2-001 检查表"][1]
    text = page_texts(path)[number - 1]
    assert "FILLED-VALUE" in text and "SEALED" in text and "HIDDEN" not in text
    assert "/Annots" not in PdfReader(str(path)).pages[number - 1]  # shown as drawn, not kept as annotations
    if shutil.which("pdftoppm") is None:
        return
    subprocess.run(["pdftoppm", "-r", "36", "-f", str(number), "-l", str(number), "-png", str(path),
                    str(tmp_path / "page")], check=True)
    picture = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    red = [(x, y) for x in range(picture.width) for y in range(picture.height)
           if picture.getpixel((x, y))[0] > 200 and max(picture.getpixel((x, y))[1:]) < 80]
    assert red, "the stamp's red disc is drawn"
    # the stamp stands in the upper right of the attached page: right of its middle, in its upper third
    assert min(x for x, _ in red) > picture.width / 2 and max(y for _, y in red) < picture.height / 3
