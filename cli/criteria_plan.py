"""The import plan on the command line: `--preview` prints it and writes nothing; an import prints it with warnings.

    python main.py new ARCHIVE --criteria FILE [--map MAP] [--preview [--json]]
    python main.py criteria ARCHIVE --import FILE [--map MAP] [--preview] [--json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from archive.db import inspect_archive
from common.errors import UserError
from criteria.importers import plan_import
from criteria.importers.plan import ImportPlan
from criteria.importers.roles import parse_mapping

MAP_HELP = ("手工指定列的含义，如 \"考评内容=评价内容,各项分值=分值\"（左边是表头文字或列字母，"
            "右边是编号/分组/评价内容/评价细则/测评方式/分值/牵头单位/配合单位/佐证材料/类别/备注/不导入）")
PREVIEW_HELP = "只显示导入预览（各列含义、跳过的行、目录树、警告），不写入任何内容"


def read_plan(file: str, mapping_text: str | None) -> ImportPlan:
    return plan_import(file, parse_mapping(mapping_text) if mapping_text else None)


def check_options(args, source: str | None, source_option: str) -> None:
    if (args.preview or args.map) and not source:
        raise UserError(f"--preview 和 --map 需要与 {source_option} 一起使用")


def preview(plan: ImportPlan, as_json: bool, archive: str | None = None, revision: dict | list | None = None) -> None:
    """Print the plan, and the revision plan against the archive's catalogue when given; nothing is written (the
    archive, if named, is only checked to be one). JSON: the plan's keys, plus "revision" and "applied" when given."""
    if archive is not None:
        inspect_archive(Path(archive).absolute())
    if as_json:
        data = plan.to_dict()
        if isinstance(revision, dict):
            data.update(revision)
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for line in plan.lines():
        print(line)
    if isinstance(revision, list):  # the revision's lines end with what the preview did not write
        print("\n".join(revision))
    else:
        print("（预览：未写入任何内容）")


def report_applied(plan: ImportPlan, to_stderr: bool = False) -> None:
    """After an import: the plan without its tree (the catalogue is listed by `criteria ARCHIVE`), warnings last."""
    stream = sys.stderr if to_stderr else sys.stdout
    for line in plan.lines(tree=False):
        print(line, file=stream)
