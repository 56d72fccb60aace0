"""Built-in catalogue templates, for offices that have not yet received the official 评价细则 table."""

from __future__ import annotations

from criteria.errors import import_error
from criteria.model import Catalogue
from criteria.resources import data_dir
from criteria.yamlio import load_yaml

_FILES = {"work-plan": "work_plan.yaml"}


def template_names() -> list[str]:
    return list(_FILES)


def load_template(name: str = "work-plan") -> Catalogue:
    if name not in _FILES:
        raise import_error(f"template:{name}", "没有这个模板，可用的模板：" + "、".join(template_names()))
    return load_yaml(data_dir() / _FILES[name])
