"""The handover package (.zip): a folder per item with its evidence copied in, the catalogue, a manifest.

    1.2 制定创建工作方案/1.2-001 创建工作方案.docx
    迎检资料目录.xlsx, 迎检资料目录.pdf   (the 送审版's carry no states, confirmations, gap list or hashes)
    附件_文件校验清单.xlsx    (every file's path, size and SHA-256, for people)
    manifest.sha256          ("<sha256>  <path>" lines: `sha256sum -c manifest.sha256` verifies the unpacked copy)

Evidence is streamed into the zip in chunks and hashed on the way, so the manifest describes exactly the bytes in
the package. Names are Windows-safe; no absolute local path appears anywhere (the catalogue shows paths relative
to the linked folders).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
import zipfile

from common.names import check_path, evidence_name, folder_name
from common.progress import ProgressReporter
from common.ziputil import zip_time
from exporters.build import build_dossier
from exporters.evidence import EvidenceFile, EvidenceSet
from exporters.xlsx_catalogue import write_catalogue_xlsx, write_checksums_xlsx

CATALOGUE = "迎检资料目录"
CHECKSUMS = "附件_文件校验清单.xlsx"
MANIFEST = "manifest.sha256"
CHUNK = 1 << 20
# already compressed: deflating them again costs time and gains nothing
STORED_TYPES = frozenset({"jpg", "png", "gif", "webp", "pdf", "zip", "rar", "7z", "docx", "xlsx", "pptx", "ofd",
                          "mp4", "mov", "avi", "mp3", "wav", "tif"})


@dataclasses.dataclass
class Entry:
    path: str  # inside the package
    code: str
    source: EvidenceFile


def layout(evidence: EvidenceSet) -> tuple[list[str], list[Entry]]:
    """Folders (catalogue order) and the evidence copies that go into them. Every item has its folder, empty where
    it has no evidence (a gap shows); a part or group only where evidence is linked to it. The folders are flat, and
    a part's empty folder sorts among its items only where codes are dotted ("1 组织领导" before "1.1"): with the
    printed codes of an imported table ("一 组织领导", items "1" to "11") it stood apart, after all the items."""
    folders, entries = [], []
    for item in evidence.items:
        copied = [f for f in item.files if f.copyable]  # unreadable: listed in the catalogue with its problem
        if not item.is_leaf and not copied:
            continue
        folder = folder_name(item.code, item.criterion.title)
        folders.append(folder)
        for f in copied:
            name = evidence_name(f.number, f.title, f.extension)
            entries.append(Entry(check_path(f"{folder}/{name}"), item.code, f))
    return folders, entries


def write_package(archive, evidence: EvidenceSet, target: str, options, job: ProgressReporter,
                  workdir: str) -> list[str]:
    """Copy the evidence first, then write the catalogues: a file that could not be copied is named in 备注."""
    from exporters.pdf_writer import write_pdf

    folders, entries = layout(evidence)
    warnings: list[str] = []
    stamp = zip_time(options.generated_time())
    manifest: list[tuple[str, int, str]] = []  # (path in the package, size, SHA-256)
    total = max(1, sum(e.source.size for e in entries))
    done = 0
    problems: dict[str, str] = {}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as package:
        for folder in folders:
            package.writestr(_folder_info(folder, stamp), b"")
        for entry in entries:
            job.report(0.05 + 0.6 * done / total, f"正在复制 {entry.path}")
            digest = _copy(package, entry, job, warnings, problems)
            if digest:
                manifest.append((entry.path, digest[1], digest[0]))
            done += entry.source.size
        evidence.mark_problems(problems)
        copied = {(e.code, e.source.id): e.path for e in entries if e.source.path not in problems}
        catalogue_pdf = os.path.join(workdir, "catalogue.pdf")
        dossier = build_dossier(archive, dataclasses.replace(options, catalogue_only=True), evidence)
        write_pdf(dossier, catalogue_pdf, _scaled(job, 0.65, 0.3), workdir, options.font_path)
        catalogue_xlsx = os.path.join(workdir, "catalogue.xlsx")
        write_catalogue_xlsx(evidence, copied, catalogue_xlsx, options.title, options.generated_time(), workdir,
                             options.internal)
        for name, source in ((f"{CATALOGUE}.xlsx", catalogue_xlsx), (f"{CATALOGUE}.pdf", catalogue_pdf)):
            manifest.append((name, os.path.getsize(source), _add_file(package, source, name, stamp)))
        checksums = os.path.join(workdir, "checksums.xlsx")
        write_checksums_xlsx(manifest, checksums, options.title, options.generated_time(), workdir)
        manifest.append((CHECKSUMS, os.path.getsize(checksums), _add_file(package, checksums, CHECKSUMS, stamp)))
        info = _file_info(MANIFEST, stamp, zipfile.ZIP_DEFLATED)
        package.writestr(info, "".join(f"{digest}  {path}\n" for path, _, digest in manifest).encode("utf-8"))
    return warnings


def _scaled(job: ProgressReporter, start: float, span: float) -> ProgressReporter:
    return ProgressReporter(lambda fraction, message: job.progress(start + span * fraction, message), job.cancel,
                            job.every)


def _folder_info(folder: str, stamp) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(folder + "/", stamp)
    info.external_attr = (0o40755 << 16) | 0x10  # a directory, for unzip and for Windows
    return info


def _file_info(name: str, stamp, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, stamp)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info


def _copy(package: zipfile.ZipFile, entry: Entry, job: ProgressReporter, warnings: list[str], problems: dict[str, str]
          ) -> tuple[str, int] | None:
    """Stream one evidence file into the package; return the SHA-256 and size of what was written. A file that cannot be
    read (or fails midway: its entry is then incomplete and left out of the manifest) becomes a problem."""
    source = entry.source
    if source.path in problems:
        return None  # listed under an earlier criterion, and unreadable there already
    try:
        handle = open(source.path, "rb")  # noqa: SIM115 - opened first, so a missing file writes no entry
    except OSError as exc:
        problems[source.path] = f"未能复制（{exc.strerror or exc}）"
        warnings.append(f"未能复制（{exc.strerror or exc}）：{source.rel}")
        return None
    with handle:
        st = os.fstat(handle.fileno())
        stamp = max((1980, 1, 1, 0, 0, 0), time.localtime(st.st_mtime)[:6])
        compression = zipfile.ZIP_STORED if source.type in STORED_TYPES else zipfile.ZIP_DEFLATED
        info = _file_info(entry.path, stamp, compression)
        info.file_size = st.st_size
        digest = hashlib.sha256()
        with package.open(info, "w", force_zip64=st.st_size > (1 << 31)) as writer:
            while True:
                try:
                    chunk = handle.read(CHUNK)
                except OSError as exc:  # a read error midway (a failing disk, a share gone)
                    problems[source.path] = f"复制中途读取出错（{exc.strerror or exc}），包中的副本不完整"
                    warnings.append(f"复制中途读取出错（{exc.strerror or exc}）：{source.rel}")
                    return None
                if not chunk:
                    break
                digest.update(chunk)
                writer.write(chunk)
                job.check()
    result = digest.hexdigest()
    if source.sha256 and result != source.sha256:
        warnings.append(f"文件在上次扫描后有改动，已按当前内容复制，请重新扫描：{source.rel}")
    return result, info.file_size


def _add_file(package: zipfile.ZipFile, source: str, name: str, stamp) -> str:
    digest = hashlib.sha256()
    with open(source, "rb") as handle, package.open(_file_info(name, stamp, zipfile.ZIP_DEFLATED), "w") as writer:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            writer.write(chunk)
    return digest.hexdigest()
