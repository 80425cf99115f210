"""Why a figure is withheld: one text per reason code of competency/publication/reasons.py."""

WORDS: dict[str, dict[str, str]] = {
    "reason.pooled": {"zh": "人数少于{k},已并入“其他”", "en": "fewer than {k} raters, pooled into others"},
    "reason.group_minimum": {"zh": "人数少于{k},且无法合并,不公开", "en": "fewer than {k} raters and too few to pool: not shown"},
    "reason.all_minimum": {"zh": "评价人少于{k_all},不公开", "en": "fewer than {k_all} raters: not shown"},
    "reason.anonymous_minimum": {"zh": "匿名评价人少于{k},不公开", "en": "fewer than {k} anonymous raters: not shown"},
    "reason.differencing": {"zh": "公开会通过相减暴露人数过少的组,不公开", "en": "would reveal a small group by difference: not shown"},
    "reason.items_answered": {"zh": "回答该题的评价人少于公开所需人数,不公开", "en": "too few raters answered this item: not shown"},
    "reason.parent_withheld": {"zh": "所属素质的该组得分未公开,随之不公开", "en": "not shown, as the group's competency figure is not shown"},
    "reason.other_behaviour_withheld": {
        "zh": "同组另一题目未公开;该组素质得分是各题得分的平均,与其余题目合起来会反推出它,故该组各题得分均不公开",
        "en": "another item of this group is not shown; the group's competency figure is the mean of its items, so with the others it would reveal that one: no item of the group is shown",
    },
    "reason.cross_release": {
        "zh": "与此前已发布的同一得分相比,评价人只差1至{k_minus_1}人,公开会暴露他们的评价",
        "en": "its raters differ from an earlier released figure's by only 1 to {k_minus_1}: showing it would reveal them",
    },
    "reason.people_minimum": {"zh": "少于{people_k}人,不显示平均值", "en": "fewer than {people_k} people: no average shown"},
}
