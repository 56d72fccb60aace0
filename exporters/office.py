"""Office evidence (documents .docx/.doc/.wps/.rtf/.odt, sheets .xlsx/.xls/.et/.ods, presentations .pptx/.ppt/.dps/
.odp) in the PDF dossier: find a converter, convert, plan.

LibreOffice (`soffice`) converts every type; on Windows, Microsoft Word/Excel or WPS Office (the same COM
interface) convert documents and sheets through PowerShell, not presentations. Files are copied into a temp folder
first and converted there, so no converter ever opens, locks or leaves a lock file beside the evidence. The plan
says, per type, what the installed converter will attach and what it cannot convert, before the export starts.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

from archive.metadata.text import SECRET_LEVELS
from common.progress import ProgressReporter
from exporters import office_run
from exporters.attachments import CONVERTED_BY, NOT_EMBEDDED, attachment_kind, listed_only_kind
from exporters.build_criterion import photo_reason
from exporters.evidence import EvidenceSet
from exporters.options import ExportOptions

WINDOWS_SOFFICE = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                   r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")
NO_CONVERTER_NAMES = "LibreOffice、Microsoft Office 或 WPS Office"
NAMES_SHOWN = 5  # files a plan line names (dated outside the period, long pictures); the rest counted


@dataclass(frozen=True)
class Converter:
    name: str  # shown to the user: LibreOffice / Microsoft Office / WPS Office
    program: str  # soffice path, or "com"
    word: str = ""  # COM ProgIDs on Windows
    sheet: str = ""

    def handles(self, file_type: str) -> bool:
        """Whether this converter makes a PDF of this type: LibreOffice every Office type; through COM, Word (or
        WPS Writer) the documents and Excel (or WPS Spreadsheets) the sheets, and no presentations."""
        kind = CONVERTED_BY.get(file_type)
        if kind is None:
            return False
        if self.program != "com":
            return True
        return bool({"word": self.word, "sheet": self.sheet}.get(kind))


def find_converter() -> Converter | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None and sys.platform == "win32":
        soffice = next((p for p in WINDOWS_SOFFICE if os.path.isfile(p)), None)
    if soffice:
        return Converter("LibreOffice", soffice)
    if sys.platform == "win32":
        return _com_converter()
    return None


def _com_converter() -> Converter | None:
    import winreg  # Windows only

    def registered(prog_id: str) -> bool:
        try:
            winreg.CloseKey(winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, prog_id + "\\CLSID"))
            return True
        except OSError:
            return False

    for name, word, sheet in (("Microsoft Office", "Word.Application", "Excel.Application"),
                              ("WPS Office", "KWPS.Application", "KET.Application")):
        word_ok, sheet_ok = registered(word), registered(sheet)
        if word_ok or sheet_ok:
            return Converter(name, "com", word if word_ok else "", sheet if sheet_ok else "")
    return None


def convert_all(converter: Converter, files: list[tuple[str, str]], workdir: str, job: ProgressReporter,
                start: float, span: float, printable: bool = True) -> tuple[dict[str, str], dict[str, str]]:
    """Convert [(key, path)] to PDF in `workdir`. Returns ({key: pdf path} for the files that converted,
    {key: why} for files given up, such as one whose conversion hung past the time limit). `printable`: set
    spreadsheets up for printing first (the dossier); reading their text needs no page setup."""
    return office_run.convert(converter, files, workdir, job, start, span, printable)


def convert_each(converter: Converter, files: list[tuple[str, str]], workdir: str, job: ProgressReporter,
                 printable: bool = False) -> Iterator[tuple[str, str | None]]:
    """Convert [(key, path)] to PDF a batch at a time, yielding (key, PDF path, or None when it did not convert) in
    order. A batch's PDFs are removed before the next batch converts: a long run (the text of 5,000 .doc files)
    holds one batch on disk, and the caller reads each PDF as it comes. Reading text needs no page setup, so
    spreadsheets are not set up for printing unless `printable`."""
    for start in range(0, len(files), office_run.BATCH):
        chunk = files[start:start + office_run.BATCH]
        pdfs, _ = office_run.convert(converter, chunk, workdir, job, 0, 0, printable)
        try:
            for key, _ in chunk:
                yield key, pdfs.get(key)
        finally:
            for pdf in pdfs.values():
                with contextlib.suppress(OSError):
                    os.remove(pdf)


@dataclass
class ExportPlan:
    fmt: str
    catalogue_only: bool
    criteria: int = 0  # the items evidence is filed against (leaves), not the categories over them
    files: int = 0
    pdf_files: int = 0
    pdf_pages: int = 0
    text_files: int = 0  # set as pages (exporters.text_pages)
    images: int = 0
    long_pictures: dict[str, int] = field(default_factory=dict)  # "1.2-005 名称" -> pages its pieces take
    office: int = 0
    office_converted: int = 0
    listed_only: dict[str, list[str]] = field(default_factory=dict)  # type -> "9-001 名称" no dossier can carry
    problem_files: list[str] = field(default_factory=list)  # "9-001 名称" of files with a problem: listed, not attached
    uncopied: list[str] = field(default_factory=list)  # "9-001 名称" of files a handover package cannot copy
    converter: str | None = None
    office_types: dict[str, int] = field(default_factory=dict)  # type -> Office files of it to convert
    unconvertible: dict[str, int] = field(default_factory=dict)  # type -> files the converter cannot handle
    lines_extra: list[str] = field(default_factory=list)
    out_of_period: list[str] = field(default_factory=list)  # "1.2-003 名称" of files dated outside the creation period
    classified: list[str] = field(default_factory=list)  # "1.2-003 名称（秘密）" of files marked 绝密, 机密 or 秘密
    copies: list[str] = field(default_factory=list)  # "4-006（同 4-001）": later copies of a file under one criterion
    excluded: list[str] = field(default_factory=list)  # "1.2 名称" of the files the clerk keeps out (不列入汇编)
    emptied: list[str] = field(default_factory=list)  # codes of items whose every file is kept out
    relisted: list[str] = field(default_factory=list)  # "1.2-003 名称" of files once kept out, changed since
    # photos without a 事由 (nor a title that says what they show), printed with an empty one; not scanned sheets
    uncaptioned: int = 0
    # what the plan was made of, handed to `export` so it is not read or looked up again (exporters/__init__.py)
    made_for: tuple = field(default=(), repr=False, compare=False)  # exporters.plan_key of the options
    evidence: EvidenceSet | None = field(default=None, repr=False, compare=False)
    found_converter: Converter | None = field(default=None, repr=False, compare=False)
    fonts: object | None = field(default=None, repr=False, compare=False)  # exporters.fonts.FontSet, for a PDF

    def lines(self) -> list[str]:
        return (self._classified_lines() + self._lines() + self._excluded_lines() + self._copy_lines()
                + self._period_lines() + self._caption_lines() + self.lines_extra)

    def _excluded_lines(self) -> list[str]:
        lines = []
        if self.excluded:
            emptied = f"；{'、'.join(self.emptied)} 的材料因此都不导出" if self.emptied else ""
            lines.append(f"{len(self.excluded)} 个文件标为“不列入汇编”，不导出{emptied}（可在文件表中右键恢复）："
                         f"{_named(self.excluded)}")
        if self.relisted:  # a draft replaced by the signed version under its name: said, not left out unseen
            lines.append(f"{len(self.relisted)} 个文件曾标为“不列入汇编”，此后内容已改变，标记失效，照常导出"
                         f"（仍不需要的请重新标记；需要的请右键“恢复列入汇编”，不再提示）：{_named(self.relisted)}")
        return lines

    def _classified_lines(self) -> list[str]:
        """First of all: a state secret must not go out with the dossier, and the 备注 would print its 密级."""
        if not self.classified:
            return []
        carried = "移交包" if self.fmt == "zip" else "汇编"
        return [f"注意：{len(self.classified)} 个文件标有密级，涉密材料不得随{carried}送出，请确认后再导出"
                f"（不应送出的请在文件表中右键标为“不列入汇编”；密级填错的请在“填写信息”中更正）：{_named(self.classified)}"]

    def _copy_lines(self) -> list[str]:
        if not self.copies:
            return []
        how = "移交包中照常复制" if self.fmt == "zip" else "原文只附入一次"
        return [f"{len(self.copies)} 个文件与同一评价项目下的另一个文件内容相同，{how}，目录备注中注明"
                f"（不需要的一份可在文件表中右键标为“不列入汇编”）：{_named(self.copies)}"]

    def _long_lines(self) -> list[str]:
        if not self.long_pictures:
            return []
        shown = _named([f"{name}（{pages} 页）" for name, pages in self.long_pictures.items()])
        return [f"{len(self.long_pictures)} 张长截图或多页图片将分页显示：{shown}"]

    def _caption_lines(self) -> list[str]:
        if not self.uncaptioned or self.fmt == "zip" or self.catalogue_only:
            return []
        return [f"{self.uncaptioned} 张照片没有填写事由，照片说明中“事由”将空着（可选中照片点“照片说明”填写，"
                "或导出目录在 Excel 中填写后导入）"]

    def _period_lines(self) -> list[str]:
        """The office's own warning, said before the export: the 送审版 attaches these files and says nothing."""
        if not self.out_of_period:
            return []
        return [f"{len(self.out_of_period)} 个文件的日期不在创建周期内（送审版照常附入、不作说明，内部版在备注中注明；"
                f"不应送审的请在文件表中右键标为“不列入汇编”）：{_named(self.out_of_period)}"]

    def _lines(self) -> list[str]:
        lines = [f"将导出 {self.criteria} 个评价项目、{self.files} 个文件的目录"]
        if self.fmt == "zip":
            left = self.uncopied
            unread = f"；{len(left)} 个文件无法复制（无法读取或已不存在），只列入目录：{_named(left)}" if left else ""
            lines.append(f"移交包将复制 {self.files - len(left)} 个文件{unread}")
            lines.append("另含 迎检资料目录（Excel、PDF）、附件_文件校验清单.xlsx（每个文件的 SHA-256）"
                         "和 manifest.sha256")
            return lines
        if self.catalogue_only:
            return [*lines, "只导出目录，不附入附件"]
        if self.fmt == "docx":
            lines.append(f"嵌入 {self.images} 张图片；PDF 与 Office 附件只列入目录（附件原文请导出 PDF）")
            # its other files are only listed anyway (the 编制说明 says so): only the photos it cannot embed
            return lines + self._long_lines() + self._listed_lines(NOT_EMBEDDED) + self._problem_lines()
        texts = f"、{self.text_files} 个文本文件（排成 PDF 页）" if self.text_files else ""
        lines.append(f"附入 {self.pdf_files} 个 PDF 文件（约 {self.pdf_pages} 页）{texts}，嵌入 {self.images} 张图片")
        lines += self._long_lines()
        lines += _converter_lines(self)
        return lines + self._listed_lines() + self._problem_lines()

    def _listed_lines(self, types: frozenset[str] | None = None) -> list[str]:
        """Files of a type no dossier carries (OFD, web pages, video), named with the way to carry their content."""
        listed = {t: names for t, names in self.listed_only.items() if types is None or t in types}
        if not listed:
            return []
        kinds: dict[tuple[str, str], int] = {}
        for file_type, names in listed.items():
            kind = listed_only_kind(file_type)
            kinds[kind] = kinds.get(kind, 0) + len(names)
        described = "、".join(f"{what} {count} 个" + (f"（{way}）" if way else "")
                              for (what, way), count in sorted(kinds.items(), key=lambda pair: -pair[1]))
        names = [name for group in listed.values() for name in group]
        return [f"{len(names)} 个文件只列入目录、不附入原文（并列于“未附入材料说明”）：{described}；"
                f"文件：{_named(names)}"]

    def _problem_lines(self) -> list[str]:
        """Named, as the reviewers will read them in 未附入材料说明: a shortcut or a damaged file is better mended
        before the dossier goes out than found there."""
        if not self.problem_files:
            return []
        return [f"{len(self.problem_files)} 个有问题的文件（快捷方式、压缩包、损坏、无法读取等）只列入目录，"
                f"并列于“未附入材料说明”（可先处理后再导出）：{_named(self.problem_files)}"]


def _named(names: list[str]) -> str:
    """The first NAMES_SHOWN names, then "等" if there are more."""
    return "、".join(names[:NAMES_SHOWN]) + ("等" if len(names) > NAMES_SHOWN else "")


def _types(counts: dict[str, int]) -> str:
    return "、".join(f"{t.upper()} {n} 个" for t, n in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))


def _converter_lines(plan: ExportPlan) -> list[str]:
    """Which Office types need a converter, which one is installed, and what it cannot convert: said before
    the export starts, so nothing is found missing afterwards."""
    if not plan.office:
        return []
    if not plan.converter:
        return [f"需要转换的 Office 文件 {plan.office} 个（{_types(plan.office_types)}）：未安装 {NO_CONVERTER_NAMES}，"
                "只列入目录，并列于“未附入材料说明”（安装 LibreOffice 后可附入原文）"]
    handled = {t: n - plan.unconvertible.get(t, 0) for t, n in plan.office_types.items()}
    lines = [f"{plan.office_converted} 个 Office 文件将用 {plan.converter} 转换为 PDF 附入"
             f"（{_types({t: n for t, n in handled.items() if n})}）"] if plan.office_converted else []
    if plan.unconvertible:
        rest = sum(plan.unconvertible.values())
        lines.append(f"{plan.converter} 不能转换 {_types(plan.unconvertible)}：这 {rest} 个文件只列入目录，"
                     "并列于“未附入材料说明”（安装 LibreOffice 可转换所有类型）")
    return lines


def plan_from(evidence: EvidenceSet, fmt: str, options: ExportOptions, converter: Converter | None) -> ExportPlan:
    from exporters.picture_slices import looks_like_a_page, pages_of  # lazily: Pillow, once pictures are counted

    plan = ExportPlan(fmt, options.catalogue_only, criteria=sum(1 for item in evidence.items if item.is_leaf),
                      converter=converter.name if converter else None, evidence=evidence, found_converter=converter)
    counted = {f.id for f in (evidence.unique_files() if fmt == "zip" else evidence.content_files())}
    plan.excluded = [f"{code} {f.title}" for code, f, _ in evidence.excluded]
    shown = {item.code for item in evidence.items if item.files}
    plan.emptied = list(dict.fromkeys(code for code, _, _ in evidence.excluded if code not in shown))
    plan.relisted = [f"{f.number} {f.title}" for f in evidence.unique_files() if f.id in evidence.relisted]
    for f in evidence.unique_files():
        plan.files += 1
        if not f.copyable:
            plan.uncopied.append(f"{f.number} {f.title}")
        if f.period_problem:
            plan.out_of_period.append(f"{f.number} {f.title}")
        if (secret := evidence.describe(f).secret).startswith(SECRET_LEVELS):
            plan.classified.append(f"{f.number} {f.title}（{secret}）")
        if f.id not in counted:
            continue  # a later copy of a file under one criterion: attached (or not) as its first copy
        if f.problem or f.sha256 is None:
            plan.problem_files.append(f"{f.number} {f.title}")
            continue
        kind = attachment_kind(f.type)
        if f.type in NOT_EMBEDDED:
            plan.listed_only.setdefault(f.type, []).append(f"{f.number} {f.title}")
        elif kind == "pdf":
            plan.pdf_files += 1
            plan.pdf_pages += f.pages or 0
        elif kind == "image":
            plan.images += 1
            # a scanned sheet is shown without a photo's caption (exporters.images): no 事由 to ask for
            plan.uncaptioned += not photo_reason(evidence, f) and not looks_like_a_page(f.path)
            if fmt in ("pdf", "docx") and not options.catalogue_only and (pages := pages_of(f.path)) > 1:
                plan.long_pictures[f"{f.number} {f.title}"] = pages
        elif kind == "text":
            plan.text_files += 1
        elif kind == "office":
            plan.office += 1
            plan.office_types[f.type] = plan.office_types.get(f.type, 0) + 1
            handled = bool(converter and converter.handles(f.type))
            plan.office_converted += int(handled)
            if converter and not handled:
                plan.unconvertible[f.type] = plan.unconvertible.get(f.type, 0) + 1
        else:
            plan.listed_only.setdefault(f.type, []).append(f"{f.number} {f.title}")
    plan.copies = [f"{f.number}（同 {f.same_as}）" for item in evidence.items for f in item.files if f.same_as]
    plan.lines_extra += _unscored_lines(evidence, fmt, options)
    return plan


def _unscored_lines(evidence: EvidenceSet, fmt: str, options: ExportOptions) -> list[str]:
    """Said before a 送审版 with scores goes out: items not scored yet leave its 自评情况 without a conclusion."""
    data = evidence.selfeval
    if fmt == "zip" or not options.scores or options.internal or data is None:
        return []
    unscored = data.projection.scoring - data.projection.scored
    if not unscored:
        return []
    where = "汇总表中显示“未评分”"
    if options.codes:  # a part of the archive: its 汇总表 lists only its own; the 自评情况's total is the whole's
        shown = sum(1 for item in evidence.items if (sheet_item := data.sheet.by_code.get(item.criterion.code))
                    and sheet_item.scoring and sheet_item.score is None)
        where = f"本次导出的项目中 {shown} 个，{where}" if shown else "均不在本次导出的项目中"
    return [f"{unscored} 个计分项目尚未自评打分（{where}）：送审版的自评情况只列总分、不下结论"
            "（可在项目的“自查自评”中打分，或勾选“不列自评得分”）"]
