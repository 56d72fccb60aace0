"""Where a folder or file chooser for evidence opens. Qt opens one in the working directory when given none: on
Windows the app's install folder, here wherever it was started from. A clerk linking item after item wants the
folders beside the ones already linked."""

from __future__ import annotations

import os

from archive.db import Archive
from archive.linkset import LinkSet


def evidence_start(archive: Archive, *codes: str | None) -> str:
    """The folder holding the first of `codes`' own linked folders and files (their neighbours are the next to link),
    else the deepest folder every link of the archive lies under (the evidence's 总文件夹), else the user's home
    folder. Only folders that are there now."""
    # as the last scan found them: a share that did not answer is not asked again (it can hang the chooser)
    links = [link for link in LinkSet.load(archive.conn).links if link.reachable]
    for code in codes:
        for link in links:
            beside = os.path.dirname(link.path.rstrip(os.sep))  # a linked folder's parent, a linked file's folder
            if code is not None and link.code == code and os.path.isdir(beside):
                return beside
    linked = {link.path.rstrip(os.sep) for link in links if link.is_dir}
    shared = _common_folder([*linked, *(os.path.dirname(link.path) for link in links if not link.is_dir)])
    if shared in linked:  # one linked folder holds all the others (or is the only one): the next is beside it
        shared = os.path.dirname(shared)
    return shared or os.path.expanduser("~")


def _common_folder(folders: list[str]) -> str:
    """The deepest existing folder all of `folders` are under ("" if none: no links, or on two drives)."""
    if not folders:
        return ""
    try:
        common = os.path.commonpath(folders)
    except ValueError:  # C:\ and D:\, or a share and a drive
        return ""
    while common and not os.path.isdir(common):
        parent = os.path.dirname(common)
        common = "" if parent == common else parent
    return common
