"""Menu commands on an open archive that need a dialog around a core call: automap, revised catalogue, export."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from archive.linkset import shown_under
from archive.revision import apply_revision, plan_for_archive
from archive.start_folder import evidence_start
from criteria.revision_text import summary
from ui.common import file_dialogs
from ui.common.worker import run_job
from ui.window.import_plan_view import ImportPlanDialog
from ui.window.new_archive_dialog import IMPORT_FILTER
from ui.window.revision_dialog import approve_revision
from ui.workspace.session import ArchiveSession

BRIEF_LINKED = 8  # lines of each section in the box itself (all are behind 显示详细信息): it fits a 768-pixel screen
BRIEF_OTHER = 4
SUGGEST_BUTTON = "查看关联建议…"


def automap(parent: QWidget, session: ArchiveSession,
            suggest: Callable[[list[str]], object] | None = None) -> None:
    """Link the tree under a folder the clerk chooses by its folders' names; with `suggest` (关联建议 on folders),
    the report offers it for the folders left unlinked, which departments mostly name by topic, not by code."""
    root = file_dialogs.get_existing_directory(parent, "选择证明材料的总文件夹（按子文件夹名称中的编号或标题关联）",
                                               evidence_start(session.archive))
    if not root:
        return

    def done(outcome) -> None:
        report, result = outcome
        text = (f"在 {root} 下新关联 {len(report.linked)} 个文件夹，原已关联 {len(report.existing)} 个；"
                f"索引中共 {result.files} 个文件。")
        left = suggest is not None and (report.unmatched or report.contradicted)
        action = (SUGGEST_BUTTON, lambda: suggest([root])) if left else None
        show_report(parent, "自动关联完成", text, automap_sections(report, root), action)

    session.automap(root, done)


def automap_sections(report, root: str) -> list[tuple[str, list[str]]]:
    """What automap did, in sections (heading, lines), folders named under the folder the clerk chose."""
    def shown(folder: str) -> str:
        return shown_under(folder, [root])

    sections = [("", [f"{code} ← {shown(folder)}" for code, folder in report.linked])]
    if report.contradicted:
        sections.append((f"以下 {len(report.contradicted)} 个文件夹的编号与名称指向不同的评价项目，未关联"
                         "（可能按旧版细则编号；请核对后拖到正确的项目上，或在 档案 → 关联建议 中接受）：",
                         [f"{shown(c.folder)}：编号 {c.code} 是“{c.title}”，名称与 {c.other}“{c.other_title}”相符"
                          for c in report.contradicted]))
    if report.categories:
        sections.append((f"以下 {len(report.categories)} 个分类文件夹未关联（其子文件夹已关联到下级项目）：",
                         [f"{code}：{shown(folder)}" for code, folder in report.categories]))
    if report.unmatched:
        # outermost ones: a unit's folder is listed when none of its sub-folders matched, which the heading says
        sections.append((f"以下 {len(report.unmatched)} 个文件夹及其子文件夹的名称中都没有编号或标题，未关联"
                         "（可点“查看关联建议”按内容查看建议，或手动拖到项目上）：",
                         [shown(folder) for folder in report.unmatched]))
    return [(heading, lines) for heading, lines in sections if lines]


def show_report(parent: QWidget, title: str, text: str, sections: list[tuple[str, list[str]]],
                action: tuple[str, Callable[[], object]] | None = None) -> None:
    """A summary with the first lines of each section below it, and all of them behind 显示详细信息; `action`, a
    button (its text, what it does) for what to do next."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    if sections:
        box.setInformativeText("\n\n".join(_section(heading, lines, BRIEF_OTHER if heading else BRIEF_LINKED)
                                            for heading, lines in sections))
        box.setDetailedText("\n\n".join(_section(heading, lines, len(lines)) for heading, lines in sections))
    button = box.addButton(action[0], QMessageBox.ButtonRole.ActionRole) if action else None
    box.exec()
    if button is not None and box.clickedButton() is button:
        action[1]()


def _section(heading: str, lines: list[str], limit: int) -> str:
    shown = lines[:limit] + ([f"……另有 {len(lines) - limit} 个"] if len(lines) > limit else [])
    return "\n".join(([heading] if heading else []) + shown)


def import_catalogue(parent: QWidget, session: ArchiveSession) -> ImportPlanDialog | None:
    """Replace the catalogue by a revised table in two approvals: its import plan (how the table was read, column
    roles fixable), then its revision plan (current items matched to new ones by text, archive.revision); only then
    is anything written."""
    path, _ = file_dialogs.get_open_file_name(parent, "导入修订的评价细则", session.settings.export_dir, IMPORT_FILTER)
    if not path:
        return None

    def compare(plan) -> str:  # a read on the UI thread: about 0.1 s for 300 items against 300
        revision = plan_for_archive(session.archive, plan.catalogue)
        return f"与当前目录按内容比对：{summary(revision)}。按“导入”后逐项核对修订计划，确认后才写入。"

    def accepted() -> None:
        catalogue = dialog.plan.catalogue
        run_job(parent, "比对评价目录", lambda progress, cancel: plan_for_archive(session.archive, catalogue),
                lambda revision: planned(catalogue, revision))

    def planned(catalogue, revision) -> None:
        if not approve_revision(parent, revision, path):
            return
        run_job(parent, "导入评价细则",
                lambda progress, cancel: apply_revision(session.archive, catalogue, revision), stored)

    def stored(result) -> None:
        session.reload_catalogue()
        QMessageBox.information(parent, "导入完成", summary(result.plan))

    dialog = ImportPlanDialog(path, compare, parent)
    dialog.accepted.connect(accepted)
    dialog.open()
    return dialog


def export(parent: QWidget, session: ArchiveSession, code: str | None = None) -> None:
    from ui.export.export_dialog import ExportDialog

    ExportDialog(session, parent, code).exec()
