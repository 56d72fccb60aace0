"""The manifests inside task and evidence packages: what they hold, and a strict reader for both.

Task package (from the office to a unit):
    {"kind": "reviewready-task", "version": 1, "unit", "archive_title", "created", "documents": [names],
     "criteria": [{code, label, title, parent, level, points, method, kind, units, role, own, rule, evidence, due,
                   folder}], "catalogue_fingerprint"}
    `own` is false for an ancestor included only for context; `role` is 牵头 or 配合 for the unit's own items.

Evidence package (from a unit back to the office):
    {"kind": "reviewready-evidence", "version": 1, "unit", "archive_title", "created",
     "criteria": [{code, title, folder}], "files": [{code, path, size, sha256, modified, meta}],
     "catalogue_fingerprint"}
    Paths are relative, with forward slashes; `modified` is the file's local modification time; `meta` is what the
    unit's clerk typed of the file ({field: value}, departments.package_meta), absent in packages made before it.

An optional key added later keeps VERSION: readers ignore keys they do not know, so an older app still imports the
package (without the new part) and a package without the key imports as before. VERSION rises only for a change an
older reader would misread, which it then refuses ("由较新版本的迎检通创建").

"catalogue_fingerprint" names the office's catalogue the task package was made from (archive.revision_log): the
evidence package passes it back, and the office maps codes through the revisions since, or refuses the package.
Packages from before it have none; they are accepted only where every item they name keeps its title.
"""

from __future__ import annotations

import json
import re

from common.errors import UserError
from departments.safezip import Budget, Entry, Limits, UnsafePackage, name_problem, read_small

MANIFEST = "manifest.json"
INSTRUCTIONS = "任务清单.docx"
TASK_KIND = "reviewready-task"
EVIDENCE_KIND = "reviewready-evidence"
VERSION = 1
KIND_NAMES = {TASK_KIND: "任务包", EVIDENCE_KIND: "证明材料包"}
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def dump(manifest: dict) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")


def load(zf, entries: dict[str, Entry], where: str, kind: str, limits: Limits) -> dict:
    """Read and check manifest.json of a package of the expected kind; UserError says what is wrong."""
    entry = entries.get(MANIFEST)
    if entry is None or entry.is_dir:
        raise UserError(f"{where} 不是迎检通{KIND_NAMES[kind]}：缺少 {MANIFEST}")
    if entry.size > limits.max_manifest:
        raise UnsafePackage(f"{where} 的 {MANIFEST} 过大（{entry.size} 字节），未导入任何内容")
    try:
        data = json.loads(read_small(zf, entry, Budget(where, limits)).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError(f"{where} 的 {MANIFEST} 无法读取：{exc}") from exc
    if not isinstance(data, dict) or data.get("kind") not in KIND_NAMES:
        raise UserError(f"{where} 不是迎检通{KIND_NAMES[kind]}（{MANIFEST} 中没有可识别的 kind）")
    if data["kind"] != kind:
        raise UserError(f"{where} 是{KIND_NAMES[data['kind']]}，这里需要{KIND_NAMES[kind]}")
    version = data.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise UserError(f"{where} 由较新版本的迎检通创建（格式版本 {version}，本程序支持 {VERSION}），请升级后再导入")
    if not _text(data.get("unit")):
        raise UserError(f"{where} 的 {MANIFEST} 没有写明单位名称")
    return data


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _fail(where: str, what: str) -> UserError:
    return UserError(f"{where} 的 {MANIFEST} 有误：{what}")


def task_criteria(data: dict, where: str) -> list[dict]:
    items = data.get("criteria")
    if not isinstance(items, list) or not items:
        raise _fail(where, "没有评价项目")
    for item in items:
        if not isinstance(item, dict) or not _text(item.get("code")) or not isinstance(item.get("title"), str):
            raise _fail(where, f"评价项目缺少编号或名称（{item!r:.80}）")
        folder = item.get("folder")
        if not _text(folder) or name_problem(folder):
            raise _fail(where, f"编号 {item['code']} 的文件夹名不安全：{folder!r:.80}")
    return items


def evidence_files(data: dict, where: str) -> list[dict]:
    """The file list, each path safe and unique, each hash well-formed, each code named."""
    files = data.get("files")
    if not isinstance(files, list):
        raise _fail(where, "没有文件清单")
    seen: set[str] = set()
    for item in files:
        if not isinstance(item, dict):
            raise _fail(where, f"文件清单条目格式不对（{item!r:.80}）")
        path, sha, size = item.get("path"), item.get("sha256"), item.get("size")
        if not _text(path) or (problem := name_problem(path)):
            raise UnsafePackage(f"{where} 不安全，未导入任何内容：清单中的路径“{path}”{problem or '为空'}")
        if path == MANIFEST or path.casefold() in seen:
            raise _fail(where, f"文件 {path} 重复")
        seen.add(path.casefold())
        if not isinstance(sha, str) or not SHA256.match(sha) or not isinstance(size, int) or size < 0:
            raise _fail(where, f"文件 {path} 缺少正确的 SHA-256 或大小")
        if not _text(item.get("code")):
            raise _fail(where, f"文件 {path} 没有写明评价项目编号")
    folders = {"/".join(p.split("/")[:i]) for p in seen for i in range(1, p.count("/") + 1)}
    if clash := sorted(seen & folders):
        raise _fail(where, f"“{clash[0]}”既是文件又是文件夹")
    return files


def evidence_folders(data: dict) -> dict[str, str]:
    """code -> the criterion's folder inside the package, where the manifest names one safely."""
    folders = {}
    for item in data.get("criteria") or []:
        valid = isinstance(item, dict) and _text(item.get("code")) and _text(item.get("folder"))
        if valid and not name_problem(item["folder"]):
            folders[item["code"]] = item["folder"]
    return folders
