"""`python main.py self-check` (and `ReviewReady-cli.exe self-check`): prove, without a display, that this
installation works end to end — the modules load, Qt's plugins are there, an archive can be created, linked,
scanned and exported in a temp folder, and a CJK font is found. Each step prints one line; any failure exits 1.

CI runs it on the frozen bundle: a spec that forgets a module, a data file or a plugin fails here, not at a clerk's
desk. Nothing is written outside the temp folder, which is removed at the end.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from common.app_paths import bundle_root, is_frozen
from common.errors import UserError
from common.winpaths import ON_WINDOWS, long_path
from version import VERSION

TITLE = "迎检通自检汇编"
LONG_EVIDENCE_PATH = 280  # one evidence file lies deeper than Windows' classic 260-character limit
CORE_MODULES = ("archive.db", "archive.index.scan", "archive.status", "archive.monitor.service", "criteria.template",
                "criteria.importers.excel", "criteria.importers.word", "exporters", "exporters.pdf_writer",
                "exporters.docx_writer", "exporters.package", "cli.commands", "watchdog.observers", "sqlite_utils",
                "reportlab.pdfgen.canvas", "docx", "pypdf", "openpyxl", "python_calamine", "xlrd", "yaml", "PIL.Image",
                "filetype", "olefile")
# Per platform, the Qt plugin files the window cannot do without (any one of each group).
QT_PLUGINS = {
    "win32": (("platforms/qwindows.dll",), ("styles/qmodernwindowsstyle.dll", "styles/qwindowsvistastyle.dll")),
    "darwin": (("platforms/libqcocoa.dylib",),),
    "linux": (("platforms/libqxcb.so",),),
}
QT_TRANSLATION = "qtbase_zh_CN.qm"  # standard dialogs and buttons in Chinese


@dataclass
class Context:
    folder: Path | None = None
    archive: object | None = None
    evidence: Path | None = None
    expected: dict[str, str] = field(default_factory=dict)  # evidence path -> the code it should be linked to
    name_problem: str | None = None  # a file whose name Windows cannot hold (created only off Windows)


def check_modules(ctx: Context) -> str:
    for name in CORE_MODULES:
        importlib.import_module(name)
    return f"Python {sys.version.split()[0]}，SQLite {sqlite3.sqlite_version}，{len(CORE_MODULES)} 个模块"


def check_qt(ctx: Context) -> str:
    from PySide6 import QtGui, QtWidgets  # noqa: F401 - importing is the check: the Qt libraries load
    from PySide6.QtCore import QLibraryInfo, qVersion

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    platform = "linux" if sys.platform.startswith("linux") else sys.platform
    for group in QT_PLUGINS.get(platform, ()):
        if not any((plugins / name).is_file() for name in group):
            raise UserError(f"缺少 Qt 插件 {' 或 '.join(group)}（插件目录：{plugins}）")
    translations = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if not (translations / QT_TRANSLATION).is_file():
        raise UserError(f"缺少 Qt 中文翻译 {QT_TRANSLATION}（目录：{translations}）")
    return f"Qt {qVersion()}，插件目录 {plugins}"


def check_ui(ctx: Context) -> str:
    importlib.import_module("ui.app")
    importlib.import_module("ui.window.main_window")
    return "界面模块可以加载（未打开窗口）"


def check_template(ctx: Context) -> str:
    from criteria.template import load_template

    catalogue = load_template("work-plan")
    if not catalogue.criteria:
        raise UserError("内置模板 work-plan 没有评价项目")
    return f"{len(catalogue.items())} 个评价项目"


def create_archive_step(ctx: Context) -> str:
    from archive.catalogue import store_catalogue
    from archive.db import create_archive
    from criteria.template import load_template

    ctx.folder = Path(tempfile.mkdtemp(prefix="reviewready-selfcheck-"))
    ctx.archive = create_archive(ctx.folder / "自检档案.rrdb", "迎检通自检")
    store_catalogue(ctx.archive, load_template("work-plan"))
    return str(ctx.archive.path)


def make_evidence(ctx: Context) -> str:
    """A small tree like a department's: a PDF, a photo, a text file, and one file past Windows' 260-char limit.

    The PDF is AES-protected with an owner password only, as many official PDFs are: it opens without a password,
    but only where pypdf has its AES provider (pycryptodome), so a bundle that lost it fails here."""
    import io

    from PIL import Image
    from pypdf import PdfWriter

    root = ctx.evidence = ctx.folder / "证明材料"
    pdf = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="", owner_password="自检", algorithm="AES-256")
    writer.write(pdf)
    photo = io.BytesIO()
    Image.new("RGB", (64, 48), (21, 101, 192)).save(photo, "PNG")
    deep = ["1.3 分解创建任务"]
    while len(str(root.joinpath(*deep))) < LONG_EVIDENCE_PATH:  # past MAX_PATH wherever the temp folder is
        deep.append(f"第{len(deep)}层 各成员单位创建任务分解落实情况材料汇总文件夹")
    files = {("1.1 印发创建工作方案", "关于印发创建工作方案的通知.pdf"): ("1.1", pdf.getvalue()),
             ("1.2 成立领导小组", "领导小组第一次会议照片.png"): ("1.2", photo.getvalue()),
             ("1.2 成立领导小组", "成员名单.txt"): ("1.2", "组长：某某\n副组长：某某\n".encode()),
             (*deep, "任务分解表.txt"): ("1.3", "任务分解".encode())}
    if not ON_WINDOWS:  # a name Windows cannot hold, as found on a Linux file share
        files[("1.2 成立领导小组", "会议纪要:第一次.txt")] = ("1.2", "纪要".encode())
        ctx.name_problem = str(root.joinpath("1.2 成立领导小组", "会议纪要:第一次.txt"))
    for parts, (code, data) in files.items():
        path = root.joinpath(*parts)
        _make_folders(path.parent)
        with open(long_path(str(path)), "wb") as handle:
            handle.write(data)
        ctx.expected[str(path)] = code
    longest = max(len(p) for p in ctx.expected)
    return f"{len(files)} 个文件，最长路径 {longest} 个字符"


def _make_folders(folder: Path) -> None:
    """One level at a time: os.makedirs cannot split a \\\\?\\ path on Windows."""
    for level in reversed([folder, *folder.parents]):
        if not os.path.isdir(long_path(str(level))):
            os.mkdir(long_path(str(level)))


def link_and_scan(ctx: Context) -> str:
    from archive.index.scan import scan
    from archive.links import automap

    report = automap(ctx.archive, str(ctx.evidence))
    linked = {code for code, _ in report.linked}
    if linked != set(ctx.expected.values()):
        raise UserError(f"自动关联结果不对：关联了 {sorted(linked)}，应为 {sorted(set(ctx.expected.values()))}")
    result = scan(ctx.archive)
    indexed = {row[0] for row in ctx.archive.conn.execute("SELECT path FROM files WHERE sha256 IS NOT NULL")}
    if indexed != set(ctx.expected):
        raise UserError(f"扫描遗漏了文件：{sorted(set(ctx.expected) - indexed)}")
    problems = {p["path"] for p in result.problems}
    if ctx.name_problem and problems != {ctx.name_problem}:
        raise UserError(f"扫描没有报告 Windows 中无效的文件名：{ctx.name_problem}")
    if not ctx.name_problem and problems:
        raise UserError(f"扫描报告了意外的问题：{result.problems}")
    return f"关联 {len(linked)} 个项目，新增 {result.added} 个文件，用时 {result.seconds:.2f} 秒"


def count_pages_in_a_worker(ctx: Context) -> str:
    """Page counts of many PDFs run in worker processes. In the frozen app a worker is the app's own executable
    started again, which works only if main.py hands it over to multiprocessing (freeze_support)."""
    from archive.index.filetypes import count_pages_of
    from archive.index.parent_bound_pool import worker_pool

    pdf = next(path for path in ctx.expected if path.endswith(".pdf"))
    with worker_pool(1) as pool:
        pages, problem = pool.submit(count_pages_of, (long_path(pdf), "pdf")).result(timeout=120)
    if pages != 1:
        raise UserError(f"子进程统计页数结果不对：{pages} 页（{problem or '无问题'}），应为 1 页")
    return "子进程统计页数正常"


def check_status(ctx: Context) -> str:
    from archive.status import compute_status
    from criteria.model import leaf_criteria

    statuses = compute_status(ctx.archive)
    states = {s.code: s.state for s in statuses}
    wrong = {code: states.get(code) for code in set(ctx.expected.values()) if states.get(code) != "collected"}
    if wrong:
        raise UserError(f"材料状态不对（应为已收集）：{wrong}")
    items = [s.state for s in leaf_criteria(statuses)]  # as `status` counts them
    return f"{len(items)} 个评价项目，{items.count('missing')} 个缺材料"


def check_font(ctx: Context) -> str:
    from exporters.fonts import find_fonts

    return "、".join(os.path.basename(f) for f in find_fonts().files)


def export_pdf(ctx: Context) -> str:
    from pypdf import PdfReader

    from exporters import ExportOptions, export

    result = export(ctx.archive, "pdf", ctx.folder / "自检汇编.pdf", ExportOptions(title=TITLE))
    reader = PdfReader(str(result.path))
    text = "".join(page.extract_text() or "" for page in reader.pages[:2])
    if TITLE not in text.replace(" ", "").replace("\n", ""):
        raise UserError(f"导出的 PDF 中读不出标题“{TITLE}”（中文字体未正确嵌入？）：{result.path}")
    return f"{len(reader.pages)} 页，{result.size // 1024} KB"


def export_docx(ctx: Context) -> str:
    from docx import Document

    from exporters import ExportOptions, export

    result = export(ctx.archive, "docx", ctx.folder / "自检汇编.docx", ExportOptions(title=TITLE))
    document = Document(str(result.path))
    texts = [p.text for p in document.paragraphs]
    if not any(TITLE in text for text in texts):
        raise UserError(f"导出的 Word 文件中没有标题“{TITLE}”：{result.path}")
    return f"{len(texts)} 个段落，{len(document.tables)} 个表格，{result.size // 1024} KB"


def catalogue_round_trip(ctx: Context) -> str:
    """The file catalogue out to Excel (openpyxl), one cell edited, and read back (python-calamine: compiled code
    the bundle must carry, as it must Qt's)."""
    from openpyxl import load_workbook

    from archive.metadata.sheetimport import preview_import
    from archive.metadata.workbook import SHEET, export_catalogue

    target = ctx.folder / "自检文件目录.xlsx"
    count = export_catalogue(ctx.archive, target)
    book = load_workbook(target)
    sheet = book[SHEET]
    note = [cell.value for cell in sheet[1]].index("备注") + 1
    sheet.cell(2, note).value = "自检备注"
    book.save(target)
    book.close()
    preview = preview_import(ctx.archive, target)
    found = [(c.label, c.new) for c in preview.changes]
    if preview.rows != count or found != [("备注", "自检备注")] or preview.unmatched or preview.errors:
        raise UserError(f"文件目录读回不对：{preview.rows} 行（应为 {count} 行），改动 {found}，"
                        f"{preview.unmatched + preview.errors}")
    return f"导出并读回 {count} 行，1 处改动"


def clean_up(ctx: Context) -> str:
    if ctx.archive is not None:
        ctx.archive.close()
    if ctx.folder is None:
        return "没有临时文件"
    shutil.rmtree(long_path(str(ctx.folder)), ignore_errors=True)
    if ctx.folder.exists():
        raise UserError(f"临时文件夹未能删除，请手动删除：{ctx.folder}")
    return str(ctx.folder)


@dataclass(frozen=True)
class Step:
    title: str
    run: Callable[[Context], str]
    needs_archive: bool = False  # skipped when a setup step before it failed
    setup: bool = False  # builds what later steps need: its failure skips them


STEPS: tuple[Step, ...] = (
    Step("Python 与核心模块", check_modules),
    Step("Qt 库与平台插件", check_qt),
    Step("界面模块", check_ui),
    Step("内置模板", check_template),
    Step("新建档案", create_archive_step, needs_archive=True, setup=True),
    Step("证明材料样例", make_evidence, needs_archive=True, setup=True),
    Step("自动关联与扫描", link_and_scan, needs_archive=True, setup=True),
    Step("页数统计子进程", count_pages_in_a_worker, needs_archive=True),
    Step("材料状态", check_status, needs_archive=True),
    Step("中文字体", check_font),
    Step("导出 PDF 汇编", export_pdf, needs_archive=True),
    Step("导出 Word 汇编", export_docx, needs_archive=True),
    Step("文件目录导出与导入", catalogue_round_trip, needs_archive=True),
    Step("清理临时文件", clean_up),
)


def run_checks(say: Callable[[str], None] = print) -> list[str]:
    """Run every step, print one line each, and return the titles of the steps that failed."""
    ok, bad = _marks()
    ctx = Context()
    failed: list[str] = []
    setup_failed = False
    for step in STEPS:
        if step.needs_archive and setup_failed:
            say(f"– {step.title}：跳过（前面的步骤未通过）")
            continue
        try:
            detail = step.run(ctx)
        except Exception as exc:  # a self-check reports every failure as a line; it never stops at a traceback
            failed.append(step.title)
            setup_failed = setup_failed or step.setup
            say(f"{bad} {step.title}：{_reason(exc)}")
            if os.environ.get("REVIEWREADY_DEBUG"):
                traceback.print_exc()
            continue
        say(f"{ok} {step.title}：{detail}")
    return failed


def _reason(exc: Exception) -> str:
    if isinstance(exc, ImportError):
        return f"无法加载模块 {exc.name or ''}（{exc}）"
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.strerror or exc}：{exc.filename}"
    return str(exc) or type(exc).__name__


def _marks() -> tuple[str, str]:
    """✓/✗, or √/× where the output encoding (a legacy Windows code page in a pipe) has no ✓."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        "✓✗".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return "√", "×"
    return "✓", "✗"


def add_parsers(sub) -> None:
    sub.add_parser("self-check", help="自检：不打开窗口，检查本机安装能否正常建档、扫描和导出")


def cmd_self_check(args) -> None:
    started = time.perf_counter()
    mode = "打包版" if is_frozen() else "源码运行"
    print(f"迎检通 ReviewReady {VERSION}（{mode}，程序目录：{bundle_root()}）", flush=True)
    failed = run_checks(lambda line: print(line, flush=True))
    seconds = time.perf_counter() - started
    if failed:
        raise UserError(f"自检未通过：{len(failed)} 项失败（{'、'.join(failed)}），用时 {seconds:.1f} 秒")
    print(f"自检通过，用时 {seconds:.1f} 秒")


HANDLERS = {"self-check": cmd_self_check}
