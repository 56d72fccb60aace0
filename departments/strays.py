"""Files a unit's clerk left beside the item folders of a task package (in its root, or in a category folder such
as "二 源头治理") rather than in one: they belong to no item, so the evidence package would leave them behind
without a word. Named at export, so the clerk moves them and exports again.

Only the package's own folder is looked at: evidence the clerk linked from elsewhere is collected as any link is.
"""

from __future__ import annotations

import json
import os

from archive.db import Archive, archive_files
from archive.index.walk import is_junk_name
from archive.linkset import LinkSet, is_under

STRAY_REASON = "不在任何评价项目的文件夹中，未放入材料包（请移到对应编号的文件夹后重新导出）"
PACKAGE_MARKS = ("证明材料包", "任务包")  # zips the workflow itself writes: "县农业农村局-证明材料包-20261207.zip"


def stray_files(archive: Archive, skip: tuple[str, ...] = ()) -> list[str]:
    """Files under the unit archive's package folder outside every linked item folder, in path order; `skip`:
    paths that are none of the clerk's evidence (the package being written)."""
    root = archive.meta("package_root")
    if not root or not os.path.isdir(root):
        return []
    links = LinkSet.load(archive.conn).links
    folders = [link.path for link in links if link.is_dir]
    linked_files = {link.path for link in links if not link.is_dir}
    ours = {os.path.abspath(path) for path in (*archive_files(archive.path), f"{archive.path}.lock", *skip)}
    documents = {os.path.join(root, *name.split("/")) for name in _documents(archive)}
    found = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not is_junk_name(name)
                               and not any(is_under(os.path.join(folder, name), linked) for linked in folders))
        for name in sorted(names):
            path = os.path.join(folder, name)
            if is_junk_name(name) or path in linked_files or path in ours or path in documents:
                continue
            if name.lower().endswith(".zip") and any(mark in name for mark in PACKAGE_MARKS):
                continue
            found.append(path)
    return sorted(found)


def _documents(archive: Archive) -> list[str]:
    """The task package's own documents (任务清单.docx), unpacked beside the item folders."""
    task = json.loads(archive.meta("task_manifest") or "{}")
    return [name for name in task.get("documents") or [] if isinstance(name, str)]
