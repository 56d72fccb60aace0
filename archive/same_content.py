"""Files whose content is the same (one SHA-256): a unit's package copied beside the office's folder, "通知(1).pdf"
from a second download, a photo put in two subfolders. Listed under one criterion, such a file is the same evidence
twice: the dossier attaches it once and the window tells the clerk, who decides which copy to keep.

Empty files are left out: two empty placeholders are no one document.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

Key = TypeVar("Key")


def same_content_groups(files: Iterable[tuple[Key, str | None, int | None]]) -> list[list[Key]]:
    """Groups (two or more, in the order given) of the keys of (key, SHA-256, size) whose content is the same."""
    groups: dict[str, list[Key]] = {}
    for key, sha256, size in files:
        if sha256 and size:
            groups.setdefault(sha256, []).append(key)
    return [keys for keys in groups.values() if len(keys) > 1]


def earlier_copies(files: Iterable[tuple[Key, str | None, int | None]]) -> dict[Key, Key]:
    """key -> the first key before it (in the order given) with the same content; first copies are not keys."""
    return {later: group[0] for group in same_content_groups(files) for later in group[1:]}
