"""The copy store: stage files kept by content, beside the archive, for rebuilding after the originals changed.

    某某县.rrdb
    某某县.stagestore/ab/cdef0123…   (the file whose SHA-256 is abcdef0123…)

Content-addressed, so a file kept by three stages (or under two names) is stored once. Evidence is only read; each
copy is written to a temp file in its folder, checked against the hash the stage recorded, and renamed into place,
so a copy in the store is always complete. Every read hashes the copy again: a damaged copy is an error naming the
file, never silently different output. The store never sits inside an evidence folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from archive.db import Archive
from archive.linkset import LinkSet
from common.errors import UserError
from common.progress import ProgressReporter

CHUNK = 1 << 20
SUFFIX = ".stagestore"


class CopyMismatch(Exception):
    """The evidence file no longer holds the content the stage recorded (changed since the last scan)."""


def store_root(archive: Archive) -> Path:
    return archive.path.parent / f"{archive.path.stem}{SUFFIX}"


class CopyStore:
    def __init__(self, root: Path):
        self.root = root

    @classmethod
    def beside(cls, archive: Archive) -> CopyStore:
        root = store_root(archive)
        links = LinkSet.load(archive.conn)
        if links.covers(str(root)) or links.covers(str(root / "x")):
            raise UserError(f"副本库 {root} 会位于关联的证明材料文件夹中，请把档案文件移到证明材料文件夹之外")
        return cls(root)

    def object_path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:]

    def has(self, sha256: str) -> bool:
        return self.object_path(sha256).is_file()

    def missing(self, files: Iterable[tuple[str, int]]) -> dict[str, int]:
        """{sha256: size} of the contents not yet in the store: what keeping copies would add."""
        wanted: dict[str, int] = {}
        for sha256, size in files:
            if sha256 and sha256 not in wanted:
                wanted[sha256] = size
        return {sha: size for sha, size in wanted.items() if not self.has(sha)}

    def add(self, source: str, sha256: str, job: ProgressReporter | None = None) -> None:
        """Copy `source` in as `sha256`. Raises CopyMismatch (nothing stored) when its content hashes otherwise."""
        target = self.object_path(sha256)
        if target.is_file():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(source, "rb") as reader:  # evidence: read only
            digest = self._write_verified(reader, target, sha256, job)
        if digest != sha256:
            raise CopyMismatch(source)

    def _write_verified(self, reader, target: Path, sha256: str, job: ProgressReporter | None) -> str:
        handle, temp = tempfile.mkstemp(prefix=f".{sha256[2:10]}.", suffix=".part", dir=target.parent)
        digest = hashlib.sha256()
        try:
            with os.fdopen(handle, "wb") as writer:
                while chunk := reader.read(CHUNK):
                    digest.update(chunk)
                    writer.write(chunk)
                    if job is not None:
                        job.check()
                writer.flush()
                os.fsync(writer.fileno())
            if digest.hexdigest() == sha256:
                os.chmod(temp, 0o444)  # a kept copy is not for editing
                try:
                    os.replace(temp, target)
                    temp = None
                except OSError:
                    if not target.is_file():  # else another freeze stored the same content a moment ago
                        raise
        finally:
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.chmod(temp, 0o644)  # Windows deletes no read-only file
                    os.unlink(temp)
        return digest.hexdigest()

    def restore(self, sha256: str, dest: Path, label: str, mtime_ns: int | None = None) -> None:
        """Copy the stored content to `dest` (a temp folder of ours), hashing it on the way: a damaged copy is a
        UserError naming `label` and the copy, and `dest` is removed."""
        path = self.object_path(sha256)
        try:
            reader = open(path, "rb")  # noqa: SIM115 - closed below; opening first tells missing from damaged
        except FileNotFoundError:
            raise UserError(f"副本库中缺少 {label} 的副本（{path}），无法按冻结时的内容重建") from None
        digest = hashlib.sha256()
        with reader, open(dest, "wb") as writer:
            while chunk := reader.read(CHUNK):
                digest.update(chunk)
                writer.write(chunk)
        if digest.hexdigest() != sha256:
            dest.unlink(missing_ok=True)
            raise UserError(damaged_message(label, path))
        if mtime_ns:
            os.utime(dest, ns=(mtime_ns, mtime_ns))  # the package dates each entry by its file's time


def damaged_message(label: str, path: Path) -> str:
    return (f"副本已损坏：{label} 的副本（{path}）内容与冻结时记录的 SHA-256 不一致。"
            "重建已停止，未生成文件；请从备份恢复副本库，或在原文件可用时重新冻结")
