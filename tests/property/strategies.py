"""Hypothesis strategies shared by the property tests: valid domain objects."""

from __future__ import annotations

from hypothesis import strategies as st

from competency.domain import Behavior, Competency, CompetencyModel, Level, Scale, Text, Trait

# Letters, digits, CJK and common punctuation: what people write in these files.
_ALPHABET = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 .,;:!?'\"-#&()/执行力关系建立影响品德优秀良好一般差，。：（）「」—"))

identifiers = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)
plain_text = st.text(_ALPHABET, min_size=1, max_size=40).map(str.strip).filter(bool)
texts = st.builds(Text, zh=plain_text, en=plain_text, origin=st.sampled_from(["seed", "authored"]))


@st.composite
def scales(draw: st.DrawFn) -> Scale:
    keys = draw(st.lists(identifiers, min_size=2, max_size=6, unique=True))
    values = draw(st.lists(st.integers(0, 100), min_size=len(keys), max_size=len(keys), unique=True))
    levels = [Level(value=v, key=k, label=draw(texts)) for k, v in zip(keys, values)]
    return Scale(id=draw(identifiers), name=draw(texts), levels=levels)


@st.composite
def competency_models(draw: st.DrawFn) -> CompetencyModel:
    scale = draw(scales())
    ids = draw(st.lists(identifiers, min_size=1, max_size=4, unique=True))
    behavior_ids = iter(draw(st.lists(identifiers, min_size=6 * len(ids), max_size=6 * len(ids), unique=True)))
    competencies = []
    for competency_id in ids:
        count = draw(st.integers(3, 6))
        competencies.append(
            Competency(
                id=competency_id,
                name=draw(texts),
                definition=draw(texts),
                cluster=draw(identifiers),
                weight=draw(st.floats(0.01, 100, allow_nan=False)),
                behaviors=[Behavior(id=next(behavior_ids), text=draw(texts)) for _ in range(count)],
                anchors={level.key: draw(texts) for level in scale.levels},
                interview_questions=draw(st.lists(texts, max_size=2)),
                traits=[Trait(id=t, name=draw(texts)) for t in draw(st.lists(identifiers, max_size=3, unique=True))],
            )
        )
    return CompetencyModel(
        id=draw(identifiers),
        version=draw(st.from_regex(r"[0-9]{1,4}\.[0-9]{1,2}", fullmatch=True)),
        name=draw(texts),
        scale=scale,
        competencies=competencies,
    )
