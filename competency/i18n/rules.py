"""Rule traces (`rules try`, `explain`)."""

WORDS: dict[str, dict[str, str]] = {
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
