"""The message catalogue: every fixed label the tool prints, in zh and en.

Texts that belong to a model (competency names, anchors…) come from the model's
own bilingual fields; this catalogue holds only the tool's words.
"""

from __future__ import annotations

LANGUAGES = ("zh", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    "model": {"zh": "素质模型", "en": "Competency model"},
    "version": {"zh": "版本", "en": "version"},
    "scale": {"zh": "评价等级", "en": "Rating scale"},
    "competencies": {"zh": "素质", "en": "Competencies"},
    "cluster": {"zh": "类别", "en": "cluster"},
    "weight": {"zh": "权重", "en": "weight"},
    "definition": {"zh": "定义", "en": "Definition"},
    "behaviors": {"zh": "关键行为", "en": "Key behaviours"},
    "anchors": {"zh": "等级描述", "en": "Level anchors"},
    "interview_questions": {"zh": "行为面试问题", "en": "Behavioural-interview questions"},
    "traits": {"zh": "组成部分", "en": "Parts"},
    "roles": {"zh": "职位概述", "en": "Role profiles"},
    "reports_to": {"zh": "上级", "en": "reports to"},
    "required_levels": {"zh": "素质要求", "en": "Required levels"},
    "kpis": {"zh": "关键绩效指标", "en": "KPIs"},
    "summary": {"zh": "职位概述", "en": "Summary"},
    "performance_standards": {"zh": "绩效标准", "en": "Performance standards"},
    "required_experience": {"zh": "必需的经验", "en": "Required experience"},
    "required_knowledge": {"zh": "必备的知识", "en": "Required knowledge"},
    "development_opportunities": {"zh": "个人发展机会", "en": "Development opportunities"},
    "responsibilities": {"zh": "岗位职责", "en": "Responsibilities"},
    "direction.higher_is_better": {"zh": "越高越好", "en": "higher is better"},
    "direction.lower_is_better": {"zh": "越低越好", "en": "lower is better"},
    "target": {"zh": "目标", "en": "target"},
    "curve": {"zh": "计分曲线", "en": "curve"},
    "quoted": {"zh": "引自原文", "en": "quoted from the source"},
}


def t(key: str, lang: str) -> str:
    """The catalogue's text for `key` in `lang` (zh or en)."""
    return CATALOGUE[key]["zh" if lang == "zh" else "en"]
