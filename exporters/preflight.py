"""Before a dossier is laid out, open every image and attachment it will include.

A file that cannot be included (a broken image stream, a PDF that will not parse, an Office file that does not
convert in time) becomes a problem on that file: it is shown in the 备注 of the file's row, where the file would
have gone, and in the export's warnings, and the dossier goes on. Finding this before the layout is what lets
the row say so; the rare failure that only shows while pages are merged sends the dossier round once more
(exporters/dossier_job.py).

Everything is keyed by the evidence file's path: a file listed under two criteria is prepared once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from exporters.attachments import attachment_kind
from exporters.csv_pages import csv_pdf
from exporters.evidence import EvidenceSet
from exporters.images import ImageProblem, PreparedImage, prepare_image
from exporters.office import Converter, convert_all
from exporters.pdf_merge import AttachmentError, PageGeometry, read_geometry
from exporters.text_pages import rendered_name, text_pdf

NO_CONVERTER = "未安装 LibreOffice、Microsoft Office 或 WPS Office，只列入目录"
NOT_CONVERTED = "转换为 PDF 失败，只列入目录"


@dataclass
class PreparedAttachment:
    source: int  # index into the merge's source list
    path: str  # the PDF to read: the evidence file itself, or an Office file converted in the temp folder
    pages: list[PageGeometry]


@dataclass
class Prepared:
    images: dict[str, PreparedImage] = field(default_factory=dict)
    attachments: dict[str, PreparedAttachment] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)  # evidence path -> why it is not included (Chinese)
    warnings: list[str] = field(default_factory=list)
    shown: dict[str, str] = field(default_factory=dict)  # evidence path -> path shown to the user

    def image(self, path: str) -> PreparedImage | str:
        return self.images.get(path) or self.problems.get(path, "未能处理")

    def attachment(self, path: str) -> PreparedAttachment | str:
        return self.attachments.get(path) or self.problems.get(path, "未能处理")

    def fail(self, path: str, why: str, warn: bool = True) -> None:
        """`path` is not included after all: it becomes a problem on that file."""
        self.images.pop(path, None)
        self.attachments.pop(path, None)
        self.problems[path] = why
        if warn:
            self.warnings.append(f"{self.shown.get(path, path)}：{why}")


def prepare(evidence: EvidenceSet, fmt: str, catalogue_only: bool, workdir: str, job,
            converter: Converter | None = None, font: str | None = None) -> Prepared:
    """Images for both dossiers; PDF, Office and text attachments for the PDF dossier only (`font`: the registered
    font text files are set in)."""
    prepared = Prepared()
    if catalogue_only or fmt not in ("docx", "pdf"):
        return prepared
    files = [f for f in evidence.content_files() if not f.problem and f.sha256 is not None]
    prepared.shown = {f.path: f.rel for f in files}
    images = [f.path for f in files if attachment_kind(f.type) == "image"]
    for number, path in enumerate(images):
        job.report(0.02 + 0.05 * number / max(1, len(images)), f"正在处理图片 {number + 1}/{len(images)}")
        try:
            prepared.images[path] = prepare_image(path, workdir, number)
        except ImageProblem as exc:
            prepared.fail(path, str(exc))
    if fmt == "pdf":
        documents = [(f.path, attachment_kind(f.type), f.type) for f in files
                     if attachment_kind(f.type) in ("pdf", "office", "text")]
        _prepare_attachments(prepared, documents, workdir, job, converter, font)
    return prepared


def _prepare_attachments(prepared: Prepared, documents: list[tuple[str, str, str]], workdir: str, job,
                         converter: Converter | None, font: str | None) -> None:
    office = [(path, path) for path, kind, file_type in documents
              if kind == "office" and converter is not None and converter.handles(file_type)]
    converted: dict[str, str] = {}
    failures: dict[str, str] = {}
    if office and converter is not None:
        converted, failures = convert_all(converter, office, workdir, job, 0.07, 0.05)
    for number, (path, kind, file_type) in enumerate(documents):
        job.report(0.12 + 0.03 * number / max(1, len(documents)), f"正在读取附件 {number + 1}/{len(documents)}")
        if kind == "text":
            target = rendered_name(workdir, number)
            _attach(prepared, path, lambda p=path, t=file_type, out=target: _text_pages(p, t, out, font))
            continue
        readable = path if kind == "pdf" else converted.get(path)
        if readable is None:
            if converter is None:
                prepared.fail(path, NO_CONVERTER, warn=False)  # the plan said so before the export began
            elif not converter.handles(file_type):
                prepared.fail(path, f"{converter.name} 不能转换 {file_type.upper()} 文件，只列入目录", warn=False)
            else:
                prepared.fail(path, failures.get(path, NOT_CONVERTED))
            continue
        _attach(prepared, path, lambda r=readable: r)


def _attach(prepared: Prepared, path: str, readable) -> None:
    """Attach the PDF `readable()` gives for the evidence file at `path`, or make its AttachmentError the file's
    problem."""
    try:
        source = readable()
        pages = read_geometry(source)
    except AttachmentError as exc:
        prepared.fail(path, str(exc))
        return
    prepared.attachments[path] = PreparedAttachment(len(prepared.sources), source, pages)
    prepared.sources.append(source)


def _text_pages(path: str, file_type: str, target: str, font: str | None) -> str:
    """A text file set as pages (exporters.text_pages), to be attached as a PDF is; by its type in the index, as
    attachments.TEXT_TYPES names the text types."""
    if font is None:
        raise AttachmentError("此类型的文件无法附入")
    if file_type == "csv":
        csv_pdf(path, target, font)  # a ledger: a table, not lines of commas
    else:
        text_pdf(path, target, font)
    return target
