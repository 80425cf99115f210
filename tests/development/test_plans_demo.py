"""Plans for the demo organisation: what every plan must satisfy."""

from __future__ import annotations

from pathlib import Path

import pytest

from competency.development import ACTION_TYPES, next_period
from competency.publication import gate
from competency.store.workspace import Workspace
from competency.workflow.cycles import cycle_inputs
from competency.workflow.demo import DEMO_CYCLE
from competency.workflow.plans import load_plan_inputs, plan_document, plan_documents, write_plans


def rows(workspace: Workspace, sql: str, *params: object) -> list[tuple]:
    return workspace.db.execute(sql, list(params)).fetchall()


def test_every_person_in_the_demo_gets_a_plan(demo: Workspace) -> None:
    """One plan per person on the roster, none for anybody else."""
    roster = rows(demo, "SELECT employee_id FROM roster WHERE cycle_id = ? ORDER BY 1", DEMO_CYCLE)
    plans = rows(demo, "SELECT employee_id FROM plans WHERE cycle_id = ? ORDER BY 1", DEMO_CYCLE)
    assert plans == roster and len(plans) == 120


def test_no_plan_has_an_empty_focus_without_a_stated_reason(demo: Workspace) -> None:
    """A plan with fewer focus competencies than decided says why."""
    short = rows(
        demo,
        """SELECT p.employee_id, p.reason FROM plans p
           LEFT JOIN (SELECT employee_id, count(*) AS n FROM plan_focus WHERE cycle_id = ? GROUP BY 1) f USING (employee_id)
           WHERE p.cycle_id = ? AND coalesce(f.n, 0) < p.focus_count""",
        DEMO_CYCLE,
        DEMO_CYCLE,
    )
    assert short, "the demo has people at the top level everywhere: their plans have a reason"
    assert all(reason in ("all_top", "fewer_candidates", "not_scored", "no_candidates", "rules_no_focus") for _, reason in short)
    _, documents = plan_documents(demo, DEMO_CYCLE)
    for document in documents.values():
        if not document["focus"]:
            assert document["plan"]["reason"]["en"] and document["plan"]["reason"]["zh"]


def test_plan_type_follows_the_final_rating(demo: Workspace) -> None:
    """C and D get an improvement plan with a review date, A a growth plan toward the next post, B a development plan."""
    found = rows(
        demo,
        """SELECT f.final_rating, p.plan_type, count(*), count(p.review_date), count(p.next_role)
           FROM plans p JOIN final_results f USING (cycle_id, employee_id) WHERE p.cycle_id = ? GROUP BY ALL ORDER BY 1""",
        DEMO_CYCLE,
    )
    expected = {"A": "growth", "B": "development", "C": "improvement", "D": "improvement"}
    for rating, plan_type, count, reviews, next_roles in found:
        assert plan_type == expected[rating]
        assert reviews == (count if plan_type == "improvement" else 0)
        if plan_type != "growth":
            assert next_roles == 0


def test_actions_always_belong_to_the_focus_competency_and_level(demo: Workspace) -> None:
    """Every chosen action is in the library under the focus competency, for the person's current level."""
    inputs, _ = load_plan_inputs(demo, DEMO_CYCLE)
    library = {a.id: (c, a) for c, a in inputs.library.actions()}
    keys = {level.value: level.key for level in inputs.bundle.model.scale.levels}
    chosen = rows(
        demo,
        "SELECT a.competency_id, a.action_id, a.action_type, f.level FROM plan_actions a JOIN plan_focus f USING (cycle_id, employee_id, competency_id) WHERE a.cycle_id = ?",
        DEMO_CYCLE,
    )
    assert chosen
    for competency_id, action_id, action_type, level in chosen:
        owner, action = library[action_id]
        assert owner == competency_id and action.type == action_type and keys[level] in action.levels
    orphans = rows(demo, "SELECT count(*) FROM plan_actions a ANTI JOIN plan_focus f USING (cycle_id, employee_id, competency_id) WHERE a.cycle_id = ?", DEMO_CYCLE)
    assert orphans == [(0,)]


def test_every_focus_mixes_all_three_types_about_70_20_10(demo: Workspace) -> None:
    """Each focus has an experience, an exposure and an education action; overall the effort is about 70/20/10."""
    per_focus = rows(demo, "SELECT list(DISTINCT action_type ORDER BY action_type) FROM plan_actions WHERE cycle_id = ? GROUP BY employee_id, competency_id", DEMO_CYCLE)
    assert {tuple(types) for (types,) in per_focus} == {tuple(sorted(ACTION_TYPES))}
    shares = dict(rows(demo, "SELECT action_type, sum(hours) / (SELECT sum(hours) FROM plan_actions WHERE cycle_id = $1) FROM plan_actions WHERE cycle_id = $1 GROUP BY 1", DEMO_CYCLE))
    assert shares["experience"] == pytest.approx(0.7, abs=0.05)
    assert shares["exposure"] == pytest.approx(0.2, abs=0.05)
    assert shares["education"] == pytest.approx(0.1, abs=0.03)


def test_partners_are_never_the_person_nor_outside_the_department(demo: Workspace) -> None:
    """The manager, and colleagues of the same department at the top level in that competency; never oneself."""
    assert rows(demo, "SELECT count(*) FROM plan_partners WHERE cycle_id = ? AND partner_id = employee_id", DEMO_CYCLE) == [(0,)]
    colleagues = rows(
        demo,
        """SELECT p.employee_id, p.partner_id, me.department, them.department, s.level, them.manager_id, me.manager_id
           FROM plan_partners p
           JOIN roster me ON me.cycle_id = p.cycle_id AND me.employee_id = p.employee_id
           JOIN roster them ON them.cycle_id = p.cycle_id AND them.employee_id = p.partner_id
           JOIN competency_scores s ON s.cycle_id = p.cycle_id AND s.employee_id = p.partner_id AND s.competency_id = p.competency_id
           WHERE p.cycle_id = ? AND p.partner_kind = 'colleague'""",
        DEMO_CYCLE,
    )
    assert len(colleagues) > 50
    for employee, partner, department, their_department, level, their_manager, my_manager in colleagues:
        assert department == their_department and level == 4
        assert partner != my_manager and their_manager != employee
    managers = rows(
        demo,
        """SELECT count(*) FILTER (WHERE p.partner_id IS DISTINCT FROM r.manager_id), count(*) FROM plan_partners p
           JOIN roster r ON r.cycle_id = p.cycle_id AND r.employee_id = p.employee_id WHERE p.cycle_id = ? AND p.partner_kind = 'manager'""",
        DEMO_CYCLE,
    )
    assert managers[0][0] == 0 and managers[0][1] > 0


def test_focus_behaviours_come_from_publishable_figures_only(demo: Workspace) -> None:
    """Anonymity: the behaviours to work on are read from figures that may be shown."""
    inputs = cycle_inputs(demo, DEMO_CYCLE)
    derived = gate.behaviours(demo.db, DEMO_CYCLE, inputs.bundle, inputs.scoring)
    [(found, same, planned)] = rows(
        demo,
        f"""SELECT count(g.item_id), count(*) FILTER (WHERE round(g.score, 6) = b.mean), count(*) FROM plan_behaviours b
           LEFT JOIN {derived.scores} g ON g.employee_id = b.employee_id AND g.item_id = b.item_id
           WHERE b.cycle_id = ?""",
        DEMO_CYCLE,
    )
    assert found == same == planned > 0
    assert rows(demo, "SELECT DISTINCT figure FROM plan_behaviours WHERE cycle_id = ? AND figure = 'self'", DEMO_CYCLE) == []
    assert rows(demo, "SELECT max(rank) FROM plan_behaviours WHERE cycle_id = ?", DEMO_CYCLE) == [(2,)]


def test_focus_targets_are_above_the_current_level_and_ordered_by_gap_times_weight(demo: Workspace) -> None:
    """Gaps to the role come first, the biggest gap × weight first; targets are at most one level up."""
    focus = rows(demo, "SELECT employee_id, rank, source, level, target_level, priority FROM plan_focus WHERE cycle_id = ? ORDER BY 1, 2", DEMO_CYCLE)
    by_person: dict[str, list[tuple]] = {}
    for row in focus:
        by_person.setdefault(row[0], []).append(row)
        assert row[3] < row[4] <= row[3] + 1
    for entries in by_person.values():
        gaps = [e for e in entries if e[2] == "gap"]
        assert entries[: len(gaps)] == gaps
        assert [e[5] for e in gaps] == sorted((e[5] for e in gaps), reverse=True)


def test_blind_spots_and_hidden_strengths_use_the_half_point_gap(demo: Workspace) -> None:
    """Blind spot: self ≥ others + 0.5; hidden strength: others ≥ self + 0.5."""
    found = rows(demo, "SELECT kind, score, self_score FROM plan_insights WHERE cycle_id = ? AND kind IN ('blind_spot', 'hidden_strength')", DEMO_CYCLE)
    assert {kind for kind, *_ in found} == {"blind_spot", "hidden_strength"}
    for kind, score, self_score in found:
        difference = self_score - score if kind == "blind_spot" else score - self_score
        assert round(difference, 6) >= 0.5


def test_the_document_is_json_ready_and_bilingual(demo: Workspace) -> None:
    """plan_document: SMART goal, actions, partners, monthly checkpoints and the seed's questions, in zh and en."""
    import json

    person = rows(demo, "SELECT employee_id FROM plans WHERE cycle_id = ? AND plan_type = 'improvement' ORDER BY 1 LIMIT 1", DEMO_CYCLE)[0][0]
    document = plan_document(demo, DEMO_CYCLE, person)
    json.dumps(document)
    focus = document["focus"][0]
    assert set(focus["goal"]) == {"zh", "en"} and "2027-03-31" in focus["goal"]["en"]
    assert [c["date"] for c in focus["checkpoints"]] == ["2027-01-31", "2027-02-28", "2027-03-31"]
    assert [c["phase"] for c in focus["checkpoints"]] == ["plan", "act", "reflect"]
    assert focus["checkpoints"][1]["formal_review"] is True and document["period"]["review_date"] == "2027-02-28"
    assert focus["learning_cycle"]["plan"]["questions"][0] == {"zh": "我在该工作中的学习机会在哪里?", "en": "Where are the learning opportunities in this work?"}
    assert focus["learning_cycle"]["reflect"]["title"]["zh"] == "反思"
    assert focus["partners"][0]["kind"] == "manager"
    assert document["improvement"]["expectations"][1]["zh"].startswith("如果这个员工仍不能朝“A”类员工的方向取得进步时")


def test_a_growth_plan_looks_toward_the_post_the_role_reports_to(demo: Workspace) -> None:
    """An A gets the next post (reports_to) and the role's development opportunities."""
    person = rows(demo, "SELECT employee_id FROM plans WHERE cycle_id = ? AND plan_type = 'growth' AND role = 'sales_representative' ORDER BY 1 LIMIT 1", DEMO_CYCLE)[0][0]
    growth = plan_document(demo, DEMO_CYCLE, person)["growth"]
    assert growth["next_role"]["id"] == "sales_supervisor"
    assert growth["opportunities"][0]["zh"].startswith("作为公司的培养对象")


def test_write_plans_writes_one_markdown_file_per_person(demo_copy: Path, tmp_path: Path) -> None:
    """For the demo: out/plans/<employee>.md, in the language asked for."""
    with Workspace(demo_copy) as workspace:
        written = write_plans(workspace, DEMO_CYCLE, tmp_path / "out", "zh")
    assert len(written) == 120 and all(p.parent == tmp_path / "out" / "plans" for p in written)
    text = (tmp_path / "out" / "plans" / "E000001.md").read_text(encoding="utf-8")
    assert text.startswith("# 个人发展计划 · ") and "## 从经验中学习:计划、行动、反思 · 2027-Q1" in text


@pytest.mark.parametrize(
    ("partners", "same"),
    [({"manager": False, "colleagues": True, "scope": "team"}, "manager_id"), ({"manager": True, "colleagues": False}, None), ({"scope": "region", "level": "good"}, "region")],
)
def test_partner_rules_set_who_may_be_a_partner(demo_copy: Path, partners: dict, same: str | None) -> None:
    """The rules say whether the manager and colleagues are partners, and within which scope (plans built, not stored)."""
    from competency.development import build_plans
    from competency.development.rules import PartnerRules

    with Workspace(demo_copy) as workspace:
        inputs, scoring = load_plan_inputs(workspace, DEMO_CYCLE)
        rules = inputs.rules.model_copy(update={"partners": PartnerRules(**partners)})
        with workspace.transaction() as db:
            tables = build_plans(db, DEMO_CYCLE, type(inputs)(inputs.bundle, rules, inputs.decisions, inputs.library), scoring, next_period(DEMO_CYCLE, None))
            kinds = dict(db.execute(f"SELECT partner_kind, count(*) FROM {tables.partners} GROUP BY 1").fetchall())
            assert ("manager" in kinds) == rules.partners.manager
            assert ("colleague" in kinds) == rules.partners.colleagues
            if same is not None:
                # Outside the scope (by the roster), below the rules' level (good = 3, by the stored scores), or the person.
                outside = db.execute(
                    f"""SELECT count(*) FROM {tables.partners} p
                        JOIN roster me ON me.cycle_id = $cycle AND me.employee_id = p.employee_id
                        JOIN roster them ON them.cycle_id = $cycle AND them.employee_id = p.partner_id
                        JOIN competency_scores c ON c.cycle_id = $cycle AND c.employee_id = p.partner_id AND c.competency_id = p.competency_id
                        WHERE p.partner_kind = 'colleague' AND (me.{same} IS DISTINCT FROM them.{same} OR c.level < 3 OR p.partner_id = p.employee_id)""",
                    {"cycle": DEMO_CYCLE},
                ).fetchone()[0]
                assert outside == 0
            assert db.execute("SELECT count(*) FROM plans WHERE cycle_id = ?", [DEMO_CYCLE]).fetchone()[0] == 120  # the stored plans are untouched


def test_every_plan_names_its_strongest_behaviours_even_without_a_focus(demo: Workspace) -> None:
    """Strongest behaviours come from the competencies outside the focus; a plan with no focus has them too."""
    inputs, _ = load_plan_inputs(demo, DEMO_CYCLE)
    [(without_focus,)] = rows(demo, "SELECT count(*) FROM plans p ANTI JOIN plan_focus f USING (cycle_id, employee_id) WHERE p.cycle_id = ?", DEMO_CYCLE)
    assert without_focus > 0
    short = rows(
        demo,
        """SELECT p.employee_id FROM plans p
           LEFT JOIN plan_insights i ON i.cycle_id = p.cycle_id AND i.employee_id = p.employee_id AND i.kind = 'strength_behaviour'
           WHERE p.cycle_id = ? GROUP BY ALL HAVING count(i.item_id) <> ?""",
        DEMO_CYCLE,
        inputs.rules.strengths.behaviours,
    )
    assert short == []


def test_the_built_plans_have_the_stored_tables_columns(demo_copy: Path) -> None:
    """`build_plans` hands the store one relation per plan table, holding that table's columns in
    its order (but the cycle, and the generation time the store adds)."""
    from competency.development import build_plans
    from competency.store.plans import STORED

    with Workspace(demo_copy) as workspace:
        inputs, scoring = load_plan_inputs(workspace, DEMO_CYCLE)
        with workspace.transaction() as db:
            tables = build_plans(db, DEMO_CYCLE, inputs, scoring, next_period(DEMO_CYCLE, None))
            for attribute, table in STORED.items():
                stored = [row[0] for row in db.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall()]
                built = getattr(tables, attribute).check(db).columns
                assert list(built) == [c for c in stored if c not in ("cycle_id", "generated_at")], table
            assert db.execute(f"SELECT count(*) FROM {tables.plans}").fetchone()[0] == 120
