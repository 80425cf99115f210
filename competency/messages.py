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
    # Explanations (`explain`)
    "explain.cycle": {"zh": "考核周期", "en": "cycle"},
    "explain.rating": {"zh": "评级", "en": "Rating"},
    "explain.nine_box": {"zh": "九宫格", "en": "9-box"},
    "explain.flags": {"zh": "提示", "en": "Flags"},
    "explain.none": {"zh": "无", "en": "none"},
    "explain.not_rated": {"zh": "未评级", "en": "not rated"},
    "explain.why": {"zh": "原因", "en": "Why"},
    "explain.competencies": {"zh": "素质得分(360度评估,自评单列,不计入得分)", "en": "Competency scores (360; self kept apart, not in the score)"},
    "explain.level": {"zh": "等级", "en": "level"},
    "explain.required": {"zh": "要求", "en": "required"},
    "explain.gap": {"zh": "差距", "en": "gap"},
    "explain.raters": {"zh": "计入的评价人", "en": "raters counted"},
    "explain.no_score": {"zh": "无得分:可公开的评价不足", "en": "no score: not enough publishable ratings"},
    "explain.suppressed": {"zh": "未公开", "en": "not shown"},
    "explain.competency_index": {"zh": "素质指数(按职位权重)", "en": "Competency index (weighted by the role profile)"},
    "explain.kpis": {"zh": "关键绩效指标", "en": "KPIs"},
    "explain.no_kpis": {"zh": "本周期没有该员工的KPI数据", "en": "no KPI results for this person in this cycle"},
    "explain.actual": {"zh": "实际", "en": "actual"},
    "explain.target": {"zh": "目标", "en": "target"},
    "explain.attainment": {"zh": "达成率", "en": "attainment"},
    "explain.kpi_index": {"zh": "KPI指数", "en": "KPI index"},
    "explain.rules": {"zh": "规则如何得出评级", "en": "How the rules reached the rating"},
    "explain.answers_rule": {
        "zh": "评价人只有回答了某项素质至少{share}的题目才计入;同事、下属、客户少于{k}人不单独显示,合并为“其他”,仍不足则不公开;“除自评外全部”需至少{k_all}人。",
        "en": "A rater counts for a competency after answering at least {share} of its items; peers, direct reports and customers are shown only as groups of {k} or more, smaller groups are pooled into 'others' or else not shown; 'all except self' needs {k_all} raters.",
    },
    "group.self": {"zh": "自评", "en": "self"},
    "group.manager": {"zh": "上级", "en": "manager"},
    "group.peer": {"zh": "同事", "en": "peers"},
    "group.direct_report": {"zh": "下属", "en": "direct reports"},
    "group.customer": {"zh": "客户", "en": "customers"},
    "group.others": {"zh": "其他(合并)", "en": "others (pooled)"},
    "group.all_others": {"zh": "除自评外全部", "en": "all except self"},
    "reason.pooled": {"zh": "人数少于{k},已并入“其他”", "en": "fewer than {k} raters, pooled into others"},
    "reason.too_few": {"zh": "人数少于{k},且无法合并,不公开", "en": "fewer than {k} raters and too few to pool: not shown"},
    "reason.difference": {"zh": "公开会通过相减暴露人数过少的组,不公开", "en": "would reveal a small group by difference: not shown"},
    "reason.fewer_all": {"zh": "评价人少于{k_all}", "en": "fewer than {k_all} raters"},
    # Rule traces (`rules try`, `explain`)
    "rules.rule_set": {"zh": "规则集", "en": "Rule set"},
    "rules.steps": {"zh": "步骤", "en": "Steps"},
    "rules.read": {"zh": "读取", "en": "read"},
    "rules.row": {"zh": "规则行", "en": "row"},
    "rules.no_row": {"zh": "无匹配行", "en": "no row matched"},
    "rules.fired": {"zh": "触发", "en": "fired"},
    "rules.not_fired": {"zh": "未触发", "en": "not fired"},
    "rules.unchanged": {"zh": "未改变", "en": "unchanged"},
    "rules.outputs": {"zh": "输出", "en": "Outputs"},
    "rules.true": {"zh": "是", "en": "yes"},
    "rules.false": {"zh": "否", "en": "no"},
    "rules.null": {"zh": "空", "en": "null"},
    "rules.compute": {"zh": "计算", "en": "compute"},
    "rules.table": {"zh": "决策表", "en": "table"},
    "rules.cap": {"zh": "上限", "en": "cap"},
    "rules.floor": {"zh": "下限", "en": "floor"},
    "rules.flag": {"zh": "提示", "en": "flag"},
}


def t(key: str, lang: str) -> str:
    """The catalogue's text for `key` in `lang` (zh or en)."""
    return CATALOGUE[key]["zh" if lang == "zh" else "en"]
