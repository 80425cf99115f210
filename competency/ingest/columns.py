"""The columns each kind of import file has, and the names people give them.

HR exports come from many tools: English headers in any case, Chinese headers
from survey platforms (被评价人工号, 评价人工号, 关系, 题目, 分数, 评语) and
relationship values in Chinese (上级, 同事…). The built-in aliases here cover the
usual names so that most files import without a mapping file; a mapping
(`mapping.py`) adds or overrides names for the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("roster", "responses", "kpis", "potential")


@dataclass(frozen=True)
class KindColumns:
    """The standard columns of one kind of file: all of them, and those it must have."""

    columns: tuple[str, ...]
    required: tuple[str, ...]


KIND_COLUMNS: dict[str, KindColumns] = {
    "roster": KindColumns(("employee_id", "name", "role", "manager_id", "department", "region"), ("employee_id", "role")),
    "responses": KindColumns(
        ("employee_id", "rater_id", "relationship", "item_id", "score", "comment"),
        ("employee_id", "rater_id", "relationship", "item_id", "score"),
    ),
    "kpis": KindColumns(("employee_id", "kpi_id", "actual", "target"), ("employee_id", "kpi_id", "actual")),
    "potential": KindColumns(("employee_id", "potential"), ("employee_id", "potential")),
}

# The columns a wide responses file (one row per rater, one column per item) must have.
WIDE_REQUIRED = ("employee_id", "rater_id", "relationship")

# Header aliases by kind: `工号` is the person in a roster but ambiguous in a
# responses file, so each kind has its own table.
_SHARED_EMPLOYEE = ("employee", "emp_id", "员工工号", "员工编号", "员工号")
HEADER_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "roster": {
        "employee_id": (*_SHARED_EMPLOYEE, "工号"),
        "name": ("姓名", "员工姓名", "full_name"),
        "role": ("岗位", "职位", "角色", "position", "job"),
        "manager_id": ("manager", "上级工号", "直属上级工号", "上级"),
        "department": ("部门", "dept"),
        "region": ("区域", "大区", "地区"),
    },
    "responses": {
        "employee_id": (*_SHARED_EMPLOYEE, "ratee_id", "ratee", "被评价人工号", "被评人工号", "被评价人"),
        "rater_id": ("rater", "评价人工号", "评价人"),
        "relationship": ("relation", "rater_group", "关系", "评价关系", "评价人关系"),
        "item_id": ("item", "behavior_id", "behaviour_id", "题目", "题号", "题目编号", "行为"),
        "score": ("分数", "得分", "评分"),
        "comment": ("comments", "评语", "意见", "备注"),
    },
    "kpis": {
        "employee_id": (*_SHARED_EMPLOYEE, "工号"),
        "kpi_id": ("kpi", "指标", "指标编号", "指标代码"),
        "actual": ("actual_value", "实际", "实际值", "完成值", "实际完成"),
        "target": ("target_value", "目标", "目标值"),
    },
    "potential": {
        "employee_id": (*_SHARED_EMPLOYEE, "工号"),
        "potential": ("潜力", "潜力等级", "潜质"),
    },
}

# Relationship values as survey tools write them; used only for groups the model has.
RELATIONSHIP_ALIASES: dict[str, str] = {
    "自评": "self",
    "本人": "self",
    "自己": "self",
    "上级": "manager",
    "直属上级": "manager",
    "领导": "manager",
    "boss": "manager",
    "同事": "peer",
    "同级": "peer",
    "平级": "peer",
    "colleague": "peer",
    "下属": "direct_report",
    "下级": "direct_report",
    "direct_reports": "direct_report",
    "report": "direct_report",
    "subordinate": "direct_report",
    "客户": "customer",
    "经销商": "customer",
    "client": "customer",
    "customers": "customer",
}

# Potential as the file may say it: words, Chinese, or a level 1–3.
POTENTIAL_VALUES: dict[str, str] = {
    "low": "low",
    "medium": "medium",
    "high": "high",
    "低": "low",
    "中": "medium",
    "高": "high",
    "1": "low",
    "2": "medium",
    "3": "high",
}
POTENTIAL_LEVELS = ("low", "medium", "high")

_SEPARATORS = re.compile(r"[\s\-]+")


def normalise(text: str) -> str:
    """How headers and coded values are compared: trimmed, lower case, `_` for spaces.

    `Employee ID`, ` employee_id ` and `employee-id` all become `employee_id`;
    coded values (`Direct Report`, `direct-report`) are matched the same way,
    once per distinct value (see `lookups.py`).
    """
    return _SEPARATORS.sub("_", text.strip().lower())


def attribute_name(header: str) -> str:
    """The name under which rules read an extra roster column (`employee.<name>`)."""
    return normalise(header)
