"""The words criteria tables use in their header cells, and the role each one gives its column.

Real tables (考核细则, 评价细则, 测评体系 of provinces and counties) name the same columns in many ways: "评价内容",
"考评内容", "测评内容", "建设指标", "考核要点", "工作内容" all hold the item. Title-like columns also carry a priority
(指标/要点 > 内容/任务 > 标准/要求), used by roles.py when a table has several of them.
"""

from __future__ import annotations

import re

# Roles a column can have, in the order the drop-downs list them, with the names a clerk sees.
ROLE_NAMES: dict[str, str] = {
    "code": "编号",
    "group": "分组（评价项目）",
    "title": "评价内容",
    "rule": "评价细则",
    "method": "测评方式",
    "points": "分值",
    "lead": "牵头单位",
    "assist": "配合单位",
    "due": "完成时限",
    "evidence": "佐证材料",
    "kind": "类别",
    "note": "备注",
    "ignore": "不导入",
}
TEXT_ROLES = ("group", "title", "rule")

_PREFIXES = ("评价", "考核", "考评", "测评", "评分", "评估", "检查", "督查", "验收", "创建", "建设", "工作", "指标",
             "项目", "具体", "主要", "重点", "目标", "任务")
# Suffix word -> (role, how strongly it names the item: higher wins when several columns could be the title).
_TEXT_SUFFIXES = {
    "类目": ("group", 0), "类别项目": ("group", 0), "项目": ("group", 0), "事项": ("title", 2),
    "内容": ("title", 2), "任务": ("title", 2), "指标": ("title", 3), "要点": ("title", 3),
    "标准": ("title", 1), "要求": ("title", 1), "目标": ("title", 1),
    "细则": ("rule", 0), "办法": ("rule", 0), "方法": ("rule", 0), "依据": ("rule", 0),
    "方式": ("method", 0),
}
# Columns that score rather than describe: "评分标准" is how points are taken off, never the item.
_SCORING_PREFIXES = ("评分", "扣分", "计分", "赋分", "打分")

_EXACT: dict[str, tuple[str, int]] = {}


def _add(role: str, names: tuple[str, ...], priority: int = 0) -> None:
    for name in names:
        _EXACT[name] = (role, priority)


_add("code", ("序号", "编号", "项目编号", "指标编号", "代码", "序列", "编码", "条款号", "指标序号"))
_add("group", ("一级指标", "二级指标", "项目名称", "类别项目", "板块", "领域", "大类", "一级项目", "二级项目"))
_add("title", ("三级指标", "指标内容", "指标名称", "具体指标", "工作内容", "工作任务", "重点任务", "主要任务",
               "任务内容", "目标任务", "具体内容"), 2)
_add("title", ("末级指标", "四级指标", "考核要点", "评价要点", "测评要点", "检查要点"), 3)
_add("rule", ("评分标准", "评分细则", "评分办法", "评分方法", "扣分标准", "扣分办法", "计分方法", "计分办法",
              "考核细则", "评价细则", "考评细则", "测评细则", "评分说明", "评分依据", "赋分标准", "扣分细则",
              "工作要求", "考核标准及扣分办法", "评分标准及方法"))
_add("method", ("测评方式", "评价方式", "考核方式", "考评方式", "检查方式", "测评方法", "评价方法", "考核方法",
                "核查方式", "验收方式", "评估方式"))
_add("points", ("分值", "各项分值", "标准分", "标准分值", "满分", "分数", "权重", "赋分", "指标分值", "基本分",
                "考核分值", "评价分值", "分值分配", "应得分", "标准分数", "权重分值", "分值权重"))
_add("lead", ("牵头单位", "责任单位", "牵头部门", "责任部门", "责任主体", "牵头责任单位", "考核对象", "承办单位",
              "主办单位", "责任科室", "实施单位", "落实单位", "承担单位", "被考核单位", "责任单位部门",
              "牵头单位部门", "责任单位及部门", "牵头单位责任单位", "被考核对象", "考核单位", "主责单位"))
_add("assist", ("配合单位", "配合部门", "协办单位", "协助单位", "协作单位", "参与单位", "协同单位"))
_add("due", ("完成时限", "完成时间", "时限", "时限要求", "完成期限", "时间节点", "完成时间节点", "截止时间", "截止日期",
             "办结时限", "时间要求", "完成时限要求"))
_add("evidence", ("佐证材料", "佐证材料要求", "佐证资料", "台账资料", "支撑材料", "印证材料", "资料清单", "备查资料",
                  "提供资料", "需提供资料", "应提供资料", "需提供的资料", "证明材料", "查阅资料", "材料清单", "佐证",
                  "档案资料", "需提供材料", "佐证材料清单", "支撑资料", "备查材料"))
_add("kind", ("类别", "项目类型", "指标类型", "指标类别", "项目类别", "类型", "指标属性", "性质", "项目性质"))
# A task-breakdown table's measures: how the task is carried out, read where the 细则 would be
_add("rule", ("具体措施", "工作措施", "主要措施", "推进措施", "落实措施", "措施", "工作举措", "具体举措", "主要举措",
              "措施要求"))
# The leader or contact answering for a task: a person, kept as a note, never a unit (nor a task package's addressee)
_add("note", ("备注", "说明", "责任领导", "分管领导", "牵头领导", "包联领导", "分管县领导", "县级领导", "责任人",
              "联系人", "具体责任人", "责任领导及联系人"))
# Filled in during the review, not part of the criteria.
_add("ignore", ("得分", "扣分", "自评得分", "自评分", "实得分", "考核得分", "扣分原因", "扣分情况", "自评情况",
                "得分情况", "存在问题", "完成情况", "自查情况", "自评说明", "实际得分", "落实情况", "进展情况",
                "评分", "打分", "自评", "审核得分", "评审得分", "初审得分", "复核得分", "扣分说明", "自查得分",
                "得分说明", "工作完成情况", "考核评分", "评定得分"))


def _generate() -> None:
    """Prefix x suffix: 评价内容, 考评办法, 测评标准, 建设指标 …; an exact name above always wins."""
    for prefix in ("", *_PREFIXES):
        for suffix, (role, priority) in _TEXT_SUFFIXES.items():
            name = prefix + suffix
            if not name or name in _EXACT:
                continue
            if prefix in _SCORING_PREFIXES:
                role, priority = "rule", 0
            _EXACT[name] = (role, priority)


_generate()
_BY_LENGTH = sorted(_EXACT, key=lambda s: -len(s))
_BRACKETED = re.compile(r"[（(【\[〔][^）)】\]〕]*[）)】\]〕]")
_JOINERS = re.compile(r"[/／、及和与或]")
# How much longer than a known name a header cell may be ("评价内容及要求"); real data cells are longer.
_SUFFIX_ALLOWANCE = 4
# Second header row cells that only give a unit: "（分）" under 分值.
_UNIT_ONLY = re.compile(r"^[（(]?\s*(分|分值|%|％|个|项|次|元)\s*[）)]?$")


def header_key(text: str) -> str:
    """A header cell as compared: no blanks, no bracketed remark ("分值（分）"), no trailing colon."""
    return _BRACKETED.sub("", "".join(text.split())).rstrip("：:")


def classify(text: str) -> tuple[str, int] | None:
    """(role, priority) a header cell names, or None when it names nothing we know."""
    name = header_key(text)
    if not name:
        return None
    found = _EXACT.get(name)
    if found is not None:
        return found
    for known in _BY_LENGTH:
        if name.startswith(known) and len(name) <= len(known) + _SUFFIX_ALLOWANCE:
            return _EXACT[known]
    # "牵头单位/责任单位", "评价内容及标准": the first part decides.
    first = _JOINERS.split(name, 1)[0]
    if first != name and first in _EXACT:
        return _EXACT[first]
    return None


def field_of(text: str) -> str | None:
    found = classify(text)
    return found[0] if found else None


def is_unit_annotation(text: str) -> bool:
    """A cell such as "（分）" that qualifies the header cell above it and names no column of its own."""
    return bool(_UNIT_ONLY.match("".join(text.split())))


def role_from_name(text: str) -> str | None:
    """The role a clerk names in --map: a role name ("评价内容", "分值", "不导入"), a header word, or an English id."""
    name = header_key(text)
    if name in ROLE_NAMES:
        return name
    for role, shown in ROLE_NAMES.items():
        if name in (shown, header_key(shown)):
            return role
    if name in ("忽略", "跳过", "无", "不用"):
        return "ignore"
    if name in ("单位", "责任单位", "牵头单位"):
        return "lead"
    return field_of(name)
