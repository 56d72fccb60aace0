"""What an evidence-package import did, for the clerk (Chinese lines) and for scripts (JSON)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from archive.index.scan import ScanResult
from departments.package_meta import MetaOutcome

SHOWN_INLINE = 3  # values not written named in the line itself; all of them follow on lines of their own


@dataclass
class ChangedFile:
    path: str  # inside the unit's folder, forward slashes
    kept_as: str  # the name the older version now has, beside it


@dataclass
class ImportReport:
    unit: str
    folder: str  # the unit's folder under the evidence root
    added: list[str] = field(default_factory=list)  # new files, paths inside the unit's folder
    unchanged: list[str] = field(default_factory=list)  # already there with the same content
    changed: list[ChangedFile] = field(default_factory=list)  # replaced; the older version kept beside
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): not imported
    linked: list[tuple[str, str]] = field(default_factory=list)  # (code, path) newly linked
    scan: ScanResult | None = None  # the scan of the imported folders, if anything changed
    meta: MetaOutcome = field(default_factory=MetaOutcome)  # the unit's typed file information (题名, 事由…)

    @property
    def no_change(self) -> bool:
        return not (self.added or self.changed or self.linked or self.meta.files)

    def problems(self) -> list[tuple[str, str]]:
        """(path inside the unit's folder, problem) of the files this import brought that the scan found a problem
        with (a photo cut short, an empty file): the unit may be asked for them again."""
        if self.scan is None:
            return []
        brought = {os.path.normpath(os.path.join(self.folder, rel)): rel
                   for rel in [*self.added, *(c.path for c in self.changed)]}
        return [(brought[path], found["problem"]) for found in self.scan.problems
                if (path := os.path.normpath(found["path"])) in brought]

    def meta_line(self) -> str:
        """What became of the file information the unit typed; "" when the package brought none to write."""
        meta = self.meta
        if not (meta.files or meta.skipped or meta.kept):
            return ""
        line = f"{meta.files} 个文件带有单位填写的文件信息（题名、事由等），已写入"
        if meta.skipped:
            named = "；".join(f"{path} 的{label}“{value}”" for path, label, value, _ in meta.skipped[:SHOWN_INLINE])
            more = "等" if len(meta.skipped) > SHOWN_INLINE else ""
            line += f"；{len(meta.skipped)} 项未写入：{named}{more}"
        if meta.kept:
            line += f"；{len(meta.kept)} 项保留了本办修改过的值"
        return line

    def summary(self) -> str:
        if self.no_change and not self.failed:
            if not self.unchanged:
                return f"无变化：{self.unit} 的材料包中没有文件"
            return f"无变化：{self.unit} 的 {len(self.unchanged)} 个文件都已导入过"
        return (f"{self.unit}：新增 {len(self.added)} 个文件，更新 {len(self.changed)} 个（旧版保留），"
                f"{len(self.unchanged)} 个无变化，{len(self.failed)} 个失败，新建 {len(self.linked)} 个关联")

    def lines(self) -> list[str]:
        out = [self.summary(), f"导入位置：{self.folder}"]
        out += [f"新增：{path}" for path in self.added]
        out += [f"更新：{c.path}（旧版另存为 {c.kept_as}）" for c in self.changed]
        out += [f"失败：{path}：{reason}" for path, reason in self.failed]
        out += [f"已关联：{code} ← {path}" for code, path in self.linked]
        out += [f"有问题：{path}：{problem}" for path, problem in self.problems()]
        if line := self.meta_line():
            out.append(line)
        out += [f"文件信息未写入：{path}：{label}“{value}”：{why}" for path, label, value, why in self.meta.skipped]
        out += [f"保留本办修改：{path}：{label}" for path, label in self.meta.kept]
        return out

    def to_json(self) -> dict:
        return {"unit": self.unit, "folder": self.folder, "added": self.added, "unchanged": self.unchanged,
                "changed": [{"path": c.path, "kept_as": c.kept_as} for c in self.changed],
                "failed": [{"path": p, "reason": r} for p, r in self.failed],
                "linked": [{"code": c, "path": p} for c, p in self.linked], "no_change": self.no_change,
                "problems": [{"path": p, "problem": r} for p, r in self.problems()],
                "file_info": {"files": self.meta.files,
                              "skipped": [{"path": p, "field": f, "value": v, "reason": r}
                                          for p, f, v, r in self.meta.skipped],
                              "kept": [{"path": p, "field": f} for p, f in self.meta.kept]}}
