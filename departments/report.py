"""What an evidence-package import did, for the clerk (Chinese lines) and for scripts (JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.index.scan import ScanResult


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

    @property
    def no_change(self) -> bool:
        return not (self.added or self.changed or self.linked)

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
        return out

    def to_json(self) -> dict:
        return {"unit": self.unit, "folder": self.folder, "added": self.added, "unchanged": self.unchanged,
                "changed": [{"path": c.path, "kept_as": c.kept_as} for c in self.changed],
                "failed": [{"path": p, "reason": r} for p, r in self.failed],
                "linked": [{"code": c, "path": p} for c, p in self.linked], "no_change": self.no_change}
