"""Menu commands on an open archive that need a dialog around a core call: automap, revised catalogue, export."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from archive.catalogue import store_catalogue
from ui.common.worker import run_job
from ui.window.new_archive_dialog import IMPORT_FILTER, parse_catalogue
from ui.workspace.session import ArchiveSession

MAX_LISTED = 15


def _listing(lines: list[str]) -> str:
    shown = lines[:MAX_LISTED]
    if len(lines) > MAX_LISTED:
        shown.append(f"……另有 {len(lines) - MAX_LISTED} 项")
    return "\n".join(shown)


def automap(parent: QWidget, session: ArchiveSession) -> None:
    root = QFileDialog.getExistingDirectory(parent, "选择证明材料的总文件夹（其中子文件夹名称以评价项目编号开头）")
    if not root:
        return

    def done(outcome) -> None:
        report, result = outcome
        text = (f"新关联 {len(report.linked)} 个文件夹，原已关联 {len(report.existing)} 个；"
                f"索引中共 {result.files} 个文件。")
        details = [f"{code} ← {folder}" for code, folder in report.linked]
        if report.unmatched:
            details.append("")
            details.append(f"以下 {len(report.unmatched)} 个文件夹的名称不以编号开头，未关联（可手动拖到项目上）：")
            details += report.unmatched
        show_report(parent, "自动关联完成", text, details)

    session.automap(root, done)


def show_report(parent: QWidget, title: str, text: str, details: list[str]) -> None:
    """A summary with the first lines of the details below it and all of them behind 显示详细信息."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setInformativeText(_listing(details))
        box.setDetailedText("\n".join(details))
    box.exec()


def import_catalogue(parent: QWidget, session: ArchiveSession) -> None:
    """Replace the catalogue by a revised table: links are kept by code; vanished codes are retired, not deleted."""
    path, _ = QFileDialog.getOpenFileName(parent, "导入修订的评价细则", session.settings.export_dir, IMPORT_FILTER)
    if not path:
        return

    def parsed(catalogue) -> None:
        current = {c.code for c in session.criteria}
        incoming = {c.code for c in catalogue.criteria}
        gone = sorted(current - incoming)
        retired = f"，当前目录中有 {len(gone)} 项不在新表中（其关联保留，不删除）" if gone else ""
        question = (f"读取到“{catalogue.title}”，共 {len(catalogue.criteria)} 个评价项目："
                    f"新增 {len(incoming - current)} 项，沿用 {len(incoming & current)} 项{retired}。\n\n"
                    "用它替换当前的评价目录吗？")
        answer = QMessageBox.question(parent, "导入修订的评价细则", question)
        if answer != QMessageBox.StandardButton.Yes:
            return
        run_job(parent, "导入评价细则", lambda progress, cancel: store_catalogue(session.archive, catalogue), stored)

    def stored(report) -> None:
        session.reload_catalogue()
        QMessageBox.information(parent, "导入完成", "\n".join(report.lines()))

    run_job(parent, "读取评价细则", lambda progress, cancel: parse_catalogue(path), parsed)


def export(parent: QWidget, session: ArchiveSession, code: str | None = None) -> None:
    from ui.export.export_dialog import ExportDialog

    ExportDialog(session, parent, code).exec()
