"""The synthetic-organisation generator: deterministic, consistent, and its bad rows counted exactly."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pytest

from competency.files.bundle import ModelBundle, load_bundle
from competency.files.shipped import default_model_folder
from competency.sample import DEMO_EMPLOYEES, SampleFiles, _generate, demo_organisation, generate
from competency.sample._flaws import misspell

HEADERS = {
    "roster.csv": ["employee_id", "name", "role", "manager_id", "department", "region", "gender", "hire_date"],
    "responses.csv": ["employee_id", "rater_id", "relationship", "item_id", "score", "comment"],
    "kpis.csv": ["employee_id", "kpi_id", "actual", "target"],
    "potential.csv": ["employee_id", "potential"],
}
GROUPS = {"self", "manager", "peer", "direct_report", "customer"}
RM, SUP, REP = "regional_sales_manager", "sales_supervisor", "sales_representative"


@pytest.fixture(scope="module")
def bundle() -> ModelBundle:
    return load_bundle(default_model_folder())


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, bundle: ModelBundle) -> SampleFiles:
    return generate(tmp_path_factory.mktemp("sample"), 150, seed=11, bundle=bundle, formats=("csv", "parquet"))


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, bundle: ModelBundle) -> SampleFiles:
    return generate(tmp_path_factory.mktemp("clean"), 90, seed=5, bundle=bundle, flaws=False, items_per_rater=12)


def read(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV, each with its row number as a spreadsheet counts (header = 1)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        assert header == HEADERS[path.name]
        return [{"row": str(number), **dict(zip(header, values))} for number, values in enumerate(reader, start=2)]


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def find_bad_rows(files: SampleFiles, bundle: ModelBundle) -> dict[tuple[str, int], str]:
    """What an importer should reject, found independently: (file, row) → kind."""
    items = {b.id for _, b in bundle.model.behaviors()}
    kpis = {k.id for k in bundle.kpis.kpis}
    bad: dict[tuple[str, int], str] = {}
    employees: set[str] = set()
    for row in read(files.roster):
        if row["employee_id"] in employees:
            bad["roster.csv", int(row["row"])] = "duplicate_employee"
        employees.add(row["employee_id"])
    answered: set[tuple[str, str, str]] = set()
    for row in read(files.responses):
        key = (row["employee_id"], row["rater_id"], row["item_id"])
        kind = None
        if row["employee_id"] not in employees:
            kind = "unknown_employee"
        elif row["score"] not in ("", "1", "2", "3", "4"):
            kind = "score_out_of_range"
        elif row["relationship"] not in GROUPS:
            kind = "unknown_relationship"
        elif row["item_id"] not in items:
            kind = "unknown_item"
        elif key in answered:
            kind = "duplicate_answer"
        elif (row["rater_id"] == row["employee_id"]) != (row["relationship"] == "self"):
            kind = "self_marked_peer"
        answered.add(key)
        if kind:
            bad["responses.csv", int(row["row"])] = kind
    for row in read(files.kpis):
        kind = None
        if row["employee_id"] not in employees:
            kind = "unknown_employee"
        elif row["kpi_id"] not in kpis:
            kind = "unknown_kpi"
        elif not is_number(row["actual"]) or not (row["target"] == "" or is_number(row["target"])):
            kind = "non_numeric_actual"
        if kind:
            bad["kpis.csv", int(row["row"])] = kind
    for row in read(files.potential):
        if row["employee_id"] not in employees:
            bad["potential.csv", int(row["row"])] = "unknown_employee"
        elif row["potential"] not in ("low", "medium", "high"):
            bad["potential.csv", int(row["row"])] = "unknown_potential"
    return bad


def good_rows(path: Path, files: SampleFiles) -> list[dict[str, str]]:
    bad = set(files.bad_row_numbers(path.name))
    return [row for row in read(path) if int(row["row"]) not in bad]


# --- determinism -------------------------------------------------------------


def test_same_seed_gives_byte_identical_files_whatever_the_threads(tmp_path: Path, bundle: ModelBundle) -> None:
    """The files depend on the seed only: not on the thread count, not on the run."""
    one = generate(tmp_path / "one", 120, seed=9, bundle=bundle, threads=1, formats=("csv", "parquet"))
    two = generate(tmp_path / "two", 120, seed=9, bundle=bundle, threads=2, formats=("csv", "parquet"))
    for a, b in zip(one.csv_files + one.parquet, two.csv_files + two.parquet, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert one.flaws == two.flaws


def test_writing_the_answers_in_slices_changes_no_byte(tmp_path: Path, bundle: ModelBundle, monkeypatch: pytest.MonkeyPatch) -> None:
    """Large organisations are written a slice of answers at a time; the files stay the same."""
    whole = generate(tmp_path / "whole", 60, seed=4, bundle=bundle, formats=("csv", "parquet"))
    monkeypatch.setattr(_generate, "SLICE_ROWS", 1000)
    sliced = generate(tmp_path / "sliced", 60, seed=4, bundle=bundle, formats=("csv", "parquet"))
    assert sliced.response_rows > 3 * 1000
    for a, b in zip(whole.csv_files, sliced.csv_files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    con = duckdb.connect()
    rows = [con.execute(f"SELECT * FROM '{files.parquet[1]}'").fetchall() for files in (whole, sliced)]
    assert rows[0] == rows[1] and len(rows[0]) == whole.response_rows
    assert not (tmp_path / "sliced" / ".generate_tmp").exists()


def test_another_seed_gives_other_files(tmp_path: Path, bundle: ModelBundle) -> None:
    one = generate(tmp_path / "one", 120, seed=9, bundle=bundle)
    other = generate(tmp_path / "other", 120, seed=10, bundle=bundle)
    for a, b in zip(one.csv_files, other.csv_files, strict=True):
        assert a.read_bytes() != b.read_bytes(), a.name


# --- the files ---------------------------------------------------------------


def test_row_counts_are_as_reported(sample: SampleFiles) -> None:
    assert len(read(sample.roster)) == sample.roster_rows == sample.employees + sample.planted("duplicate_employee")
    assert len(read(sample.responses)) == sample.response_rows
    assert len(read(sample.kpis)) == sample.kpi_rows
    assert len(read(sample.potential)) == sample.potential_rows == sample.employees


def test_parquet_copies_hold_the_same_rows(sample: SampleFiles) -> None:
    assert [p.name for p in sample.parquet] == ["roster.parquet", "responses.parquet", "kpis.parquet", "potential.parquet"]
    for parquet, csv_path in zip(sample.parquet, sample.csv_files, strict=True):
        assert duckdb.connect().execute(f"SELECT count(*) FROM '{parquet}'").fetchone()[0] == sample.rows(csv_path.name)


def test_ids_look_like_the_organisations(sample: SampleFiles) -> None:
    for row in read(sample.roster):
        assert re.fullmatch(r"E\d{6}", row["employee_id"])
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["hire_date"])
        assert row["gender"] in ("F", "M")
        assert row["region"] in ("east", "south", "north", "west", "central")
        assert row["department"].endswith("办事处") and row["name"]
    assert {row["rater_id"][0] for row in read(sample.responses)} == {"E", "C"}


# --- the hierarchy and the raters ----------------------------------------------


def test_every_manager_exists_and_roles_follow_the_levels(sample: SampleFiles) -> None:
    """Regional managers have no manager; supervisors report to one; representatives to a supervisor."""
    roster = {row["employee_id"]: row for row in good_rows(sample.roster, sample)}
    above = {RM: None, SUP: RM, REP: SUP}
    for person in roster.values():
        manager = person["manager_id"]
        if person["role"] == RM:
            assert manager == ""
        else:
            assert manager in roster, person
            assert roster[manager]["role"] == above[person["role"]]
            assert roster[manager]["region"] == person["region"]
    roles = Counter(p["role"] for p in roster.values())
    assert roles[RM] >= 1 and roles[SUP] >= roles[RM] and roles[REP] > roles[SUP]


def test_raters_stand_where_their_relationship_says(sample: SampleFiles) -> None:
    """Self is the person; manager is the roster manager; peers share the person's manager;
    direct reports report to the person; customers rate supervisors only."""
    roster = {row["employee_id"]: row for row in good_rows(sample.roster, sample)}
    raters: dict[tuple[str, str], str] = {}
    for row in good_rows(sample.responses, sample):
        raters[row["employee_id"], row["rater_id"]] = row["relationship"]
    seen = Counter(raters.values())
    assert set(seen) == GROUPS
    for (employee, rater), relationship in raters.items():
        person = roster[employee]
        if relationship == "self":
            assert rater == employee
        elif relationship == "manager":
            assert rater == person["manager_id"] != ""
        elif relationship == "peer":
            assert rater != employee and roster[rater]["manager_id"] == person["manager_id"]
        elif relationship == "direct_report":
            assert roster[rater]["manager_id"] == employee
        else:
            assert re.fullmatch(r"C\d{6}", rater) and person["role"] == SUP


def test_some_rater_groups_are_small(sample: SampleFiles) -> None:
    """Anonymity rules need people with only one or two peers or direct reports."""
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in good_rows(sample.responses, sample):
        groups[row["employee_id"], row["relationship"]].add(row["rater_id"])
    sizes = Counter((relationship, len(raters)) for (_, relationship), raters in groups.items())
    assert sizes["peer", 3] > 0 and sizes["direct_report", 3] > 0
    assert sizes["peer", 1] + sizes["peer", 2] > 0
    assert sizes["direct_report", 1] + sizes["direct_report", 2] > 0


def test_every_rater_answers_every_item_of_the_form(sample: SampleFiles, clean: SampleFiles, bundle: ModelBundle) -> None:
    """Item ids are the model's behaviours; a capped form keeps every competency on it."""
    behaviours = {b.id: c.id for c, b in bundle.model.behaviors()}
    for files in (sample, clean):
        answers: dict[tuple[str, str], set[str]] = defaultdict(set)
        for row in good_rows(files.responses, files):
            assert row["item_id"] in behaviours
            answers[row["employee_id"], row["rater_id"]].add(row["item_id"])
        forms = Counter(frozenset(items) for items in answers.values())
        form, _ = forms.most_common(1)[0]
        assert len(form) == files.items_per_rater
        short = [items for items in answers.values() if items != form]  # a planted bad row took one answer
        assert len(short) <= files.bad_rows() and all(items < form and len(items) == len(form) - 1 for items in short)
        assert {behaviours[item] for item in form} == {c.id for c in bundle.model.competencies}
    assert sample.items_per_rater == len(behaviours) and clean.items_per_rater == 12


def test_scores_are_1_to_4_or_blank(sample: SampleFiles) -> None:
    scores = Counter(row["score"] for row in good_rows(sample.responses, sample))
    assert set(scores) == {"", "1", "2", "3", "4"}
    assert 0.02 < scores[""] / sum(scores.values()) < 0.09  # about 5 % cannot rate


def test_self_ratings_are_inflated_on_average(sample: SampleFiles) -> None:
    by_group: dict[str, list[int]] = defaultdict(list)
    for row in good_rows(sample.responses, sample):
        if row["score"]:
            by_group[row["relationship"]].append(int(row["score"]))
    mean = {group: sum(s) / len(s) for group, s in by_group.items()}
    assert mean["self"] > mean["manager"] + 0.1 and mean["self"] > mean["peer"]


def test_each_person_has_the_kpis_of_their_role(sample: SampleFiles, bundle: ModelBundle) -> None:
    roster = {row["employee_id"]: row["role"] for row in good_rows(sample.roster, sample)}
    found: dict[str, set[str]] = defaultdict(set)
    for row in good_rows(sample.kpis, sample):
        found[row["employee_id"]].add(row["kpi_id"])
        assert float(row["actual"]) >= 0
        if row["target"] == "":
            role_kpi = bundle.roles.role(roster[row["employee_id"]]).kpis[row["kpi_id"]]
            assert role_kpi.target is None and bundle.kpis.kpi(row["kpi_id"]).target is not None
    for employee, role in roster.items():
        kpis = set(bundle.roles.role(role).kpis)
        assert found[employee] == kpis or len(kpis - found[employee]) == 1  # a planted flaw may have taken one


# --- planted flaws -------------------------------------------------------------


def test_planted_flaws_are_exactly_the_bad_rows(sample: SampleFiles, bundle: ModelBundle) -> None:
    """An importer checking the rules rejects the planted rows, each for its kind, and nothing else."""
    planted = {(f.file, row): f.kind for f in sample.flaws for row in f.rows}
    assert find_bad_rows(sample, bundle) == planted
    kinds = {(f.file, f.kind) for f in sample.flaws}
    assert kinds == {
        ("roster.csv", "duplicate_employee"),
        ("responses.csv", "unknown_employee"), ("responses.csv", "score_out_of_range"), ("responses.csv", "unknown_relationship"),
        ("responses.csv", "unknown_item"), ("responses.csv", "duplicate_answer"), ("responses.csv", "self_marked_peer"),
        ("kpis.csv", "unknown_employee"), ("kpis.csv", "unknown_kpi"), ("kpis.csv", "non_numeric_actual"),
        ("potential.csv", "unknown_potential"),
    }
    assert sample.bad_rows() == len(planted) == 11


def test_planted_rows_read_as_described(sample: SampleFiles) -> None:
    rows = {row["row"]: row for row in read(sample.responses)}
    by_kind = {f.kind: [rows[str(n)] for n in f.rows] for f in sample.flaws if f.file == "responses.csv"}
    assert [r["score"] for r in by_kind["score_out_of_range"]] == ["5"]
    assert [r["relationship"] for r in by_kind["unknown_relationship"]] == ["peers"]
    assert all(r["relationship"] == "peer" and r["rater_id"] == r["employee_id"] for r in by_kind["self_marked_peer"])
    potential = {row["row"]: row["potential"] for row in read(sample.potential)}
    assert [potential[str(n)] for f in sample.flaws if f.file == "potential.csv" for n in f.rows] == ["very high"]


@pytest.mark.parametrize("seed", range(1, 7))
def test_planted_flaws_are_exactly_the_bad_rows_whatever_the_seed(tmp_path: Path, bundle: ModelBundle, seed: int) -> None:
    files = generate(tmp_path, 40, seed=seed, bundle=bundle, items_per_rater=9)
    assert find_bad_rows(files, bundle) == {(f.file, row): f.kind for f in files.flaws for row in f.rows}


def test_misspellings_are_never_real_ids(bundle: ModelBundle) -> None:
    """A typo'd item or KPI id must be unknown, or the planted row would be good."""
    for known in ({b.id for _, b in bundle.model.behaviors()}, {k.id for k in bundle.kpis.kpis}):
        for identifier in known:
            assert misspell(identifier, known) not in known | {identifier}
    assert misspell("report_timeliness", {"report_timeliness"}) == "report_timelines"


def test_without_flaws_every_row_is_good(clean: SampleFiles, bundle: ModelBundle) -> None:
    assert clean.flaws == () and clean.bad_rows() == 0
    assert find_bad_rows(clean, bundle) == {}


def test_flaws_stay_below_a_thousandth_of_the_rows(sample: SampleFiles) -> None:
    total = sample.roster_rows + sample.response_rows + sample.kpi_rows + sample.potential_rows
    assert sample.bad_rows() <= 0.001 * total


# --- the demo organisation -------------------------------------------------------


def test_demo_organisation(tmp_path: Path, bundle: ModelBundle) -> None:
    """A sales force of 60–200 people with its bad rows, a lenient manager and an office off the guideline."""
    demo = demo_organisation(tmp_path)
    assert 60 <= demo.employees == DEMO_EMPLOYEES <= 200
    assert demo.bad_rows() == 11
    assert find_bad_rows(demo, bundle) == {(f.file, row): f.kind for f in demo.flaws for row in f.rows}
    assert demo.lenient_managers and {skew for _, skew in demo.skewed_departments} == {"high", "low"}
    roster = {row["employee_id"]: row for row in good_rows(demo.roster, demo)}
    assert all(roster[m]["role"] in (SUP, RM) for m in demo.lenient_managers)


def test_a_lenient_manager_rates_the_whole_team_high(tmp_path: Path) -> None:
    """Their team's manager ratings stand well above what the team's peers say."""
    demo = demo_organisation(tmp_path)
    lenient = demo.lenient_managers[0]
    roster = {row["employee_id"]: row for row in good_rows(demo.roster, demo)}
    team = {e for e, person in roster.items() if person["manager_id"] == lenient}
    scores: dict[str, list[int]] = defaultdict(list)
    for row in good_rows(demo.responses, demo):
        if row["employee_id"] in team and row["score"] and row["relationship"] in ("manager", "peer"):
            scores[row["relationship"]].append(int(row["score"]))
    assert sum(scores["manager"]) / len(scores["manager"]) > sum(scores["peer"]) / len(scores["peer"]) + 0.5


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format 'xlsx'"):
        generate(tmp_path, 10, formats=("xlsx",))
    with pytest.raises(ValueError, match="employees must be at least 1"):
        generate(tmp_path, 0)
