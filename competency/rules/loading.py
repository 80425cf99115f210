"""Rule files → checked rule sets and tables, with every error placed in the file.

A rule file says what it is with `kind: ruleset` (an ordered list of steps) or
`kind: decision_table` (one table on its own). Loading goes: YAML with
positions (`competency.files.yaml_loader`) → the shapes (`_shapes.py`, pydantic errors
placed by `competency.files.pydantic_errors`) → the steps, checked in order against
the schema. All problems of a file are reported together, as `SourceErrors`;
nothing is evaluated before the whole file is clean.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from competency.files.pydantic_errors import problems_from
from competency.files.yaml_loader import PathKey, YamlDocument, read_yaml
from competency.domain import CompetencyModel, KpiCatalog, RoleCatalog
from competency.errors import Location, SourceErrors, SourceProblem
from competency.rules._build_table import build_table
from competency.rules._positions import Reporter
from competency.rules._shapes import STEP_SHAPES, RulesetShape, TableFileShape
from competency.rules.check import ERROR
from competency.rules.ruleset import Ruleset, build_ruleset
from competency.rules.schema import Schema, build_schema
from competency.rules.tables import DecisionTable
from competency._text import did_you_mean

RULE_KINDS = ("ruleset", "decision_table")


def load_ruleset(path: str | Path, schema: Schema) -> Ruleset:
    """Read and check a `kind: ruleset` file; raise SourceErrors listing every problem."""
    document = read_yaml(path)
    ruleset, problems = parse_ruleset(document, schema)
    if problems or ruleset is None:
        raise SourceErrors(problems or [SourceProblem(Location(document.file, 1, 1), "the rule set could not be built")])
    return ruleset


def load_table(path: str | Path, schema: Schema) -> DecisionTable:
    """Read and check a `kind: decision_table` file (UNIQUE tables are proven)."""
    document = read_yaml(path)
    table, problems = parse_table(document, schema)
    if problems or table is None:
        raise SourceErrors(problems or [SourceProblem(Location(document.file, 1, 1), "the table could not be built")])
    return table


def check_rule_file(path: str | Path, schema: Schema) -> list[SourceProblem]:
    """Every problem of a rule file (either kind), without raising."""
    try:
        document = read_yaml(path)
    except SourceErrors as error:
        return list(error.problems)
    return check_rule_document_with(document, schema)


def check_ruleset_file(
    path: str | Path, model: CompetencyModel, kpis: KpiCatalog | None = None, roles: RoleCatalog | None = None
) -> list[SourceProblem]:
    """For `competency validate`: the problems of a rule file against a model."""
    return check_rule_file(path, build_schema(model, kpis, roles))


def check_rule_document_with(document: YamlDocument, schema: Schema) -> list[SourceProblem]:
    kind = _kind(document)
    if kind == "decision_table":
        return parse_table(document, schema)[1]
    if kind == "ruleset":
        return parse_ruleset(document, schema)[1]
    data = document.data
    if isinstance(data, dict) and "kind" in data:
        return [document.problem(("kind",), f"not a rule file: kind '{data['kind']}'", did_you_mean(str(data["kind"]), RULE_KINDS))]
    return [
        SourceProblem(
            Location(document.file, 1, 1),
            "missing `kind:` at the top of the file",
            "add `kind: ruleset` (or `kind: decision_table`)",
            document.line(1),
        )
    ]


def check_rule_document(document: YamlDocument, context: Any) -> list[SourceProblem]:
    """The check `validate` runs on a rule file (see competency/files/kinds.py).

    The schema comes from the competency model named by the file's `model:`
    (found among the files validated together, else in the shipped models).
    """
    data = document.data if isinstance(document.data, dict) else {}
    model_id = data.get("model")
    if model_id is None:
        known = context.model_ids() if context is not None else []
        if len(known) != 1:
            return [
                document.problem(
                    (), "the rule file names no competency model", "add `model: <id>` at the top, e.g. model: sales", at_key=False
                )
            ]
        model_id = known[0]  # the only model validated with it
    schema = _schema_from_context(context, model_id)
    if schema is None:
        where = ("model",) if "model" in data else ()
        return [
            document.problem(
                where,
                f"cannot check the rule names: no competency model '{model_id}' found",
                "validate the model's folder together with the rules, e.g. competency validate models/sales rules/sales",
            )
        ]
    return check_rule_document_with(document, schema)


def load_schema(model_folder: str | Path, roster: dict[str, list[Any]] | None = None) -> Schema:
    """The schema of the model, KPI and role files in one folder (e.g. models/sales)."""
    from competency.files.bundle import load_bundle

    bundle = load_bundle(Path(model_folder))
    return build_schema(bundle.model, bundle.kpis, bundle.roles, roster)


# ---------------------------------------------------------------- internals


def _kind(document: YamlDocument) -> str | None:
    data = document.data
    return data.get("kind") if isinstance(data, dict) else None


class _Within:
    """Paths of a step's own validation, placed under the step in the document."""

    def __init__(self, document: YamlDocument, prefix: PathKey) -> None:
        self.document, self.prefix = document, tuple(prefix)

    def problem(self, path: PathKey, message: str, hint: str = "", *, at_key: bool = False) -> SourceProblem:
        return self.document.problem(self.prefix + tuple(path), message, hint, at_key=at_key)


def _validate(model: type[BaseModel], data: Any, document: YamlDocument, prefix: PathKey, report: Reporter) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        report.problems.extend(problems_from(error, _Within(document, prefix), model))  # type: ignore[arg-type]
        return None


def parse_ruleset(document: YamlDocument, schema: Schema) -> tuple[Ruleset | None, list[SourceProblem]]:
    """(the rule set, or None, and every problem of the document)."""
    report = Reporter(document)
    shape = _validate(RulesetShape, document.data, document, (), report)
    raw_steps = document.data.get("steps") if isinstance(document.data, dict) else None
    steps = []
    for index, raw in enumerate(raw_steps if isinstance(raw_steps, list) else []):
        if not isinstance(raw, dict):
            continue  # the shape check said so already
        step_shape = _step_shape(raw, document, ("steps", index), report)
        if step_shape is None:
            # Its names still exist for later steps, typed "error": no cascade of unknown names.
            for name in _names_defined(raw):
                if name not in schema:
                    schema = schema.define(name, ERROR, str(raw.get("id")))
        else:
            steps.append((index, step_shape))
    ruleset = build_ruleset(shape, steps, schema, report, document.file)
    return (ruleset if not report.problems else None), report.problems


def _step_shape(raw: dict[str, Any], document: YamlDocument, path: PathKey, report: Reporter) -> Any:
    kind = raw.get("kind")
    if kind is None:
        report.at(path, "missing required field 'kind'", f"add `kind: …`, one of {', '.join(STEP_SHAPES)}")
        return None
    if kind not in STEP_SHAPES:
        report.at((*path, "kind"), f"unknown step kind '{kind}'", did_you_mean(str(kind), STEP_SHAPES))
        return None
    return _validate(STEP_SHAPES[kind], raw, document, path, report)


def _names_defined(raw: dict[str, Any]) -> list[str]:
    kind = raw.get("kind")
    if kind == "compute" and isinstance(raw.get("name"), str):
        return [raw["name"]]
    if kind == "table" and isinstance(raw.get("output"), dict) and isinstance(raw["output"].get("name"), str):
        return [raw["output"]["name"]]
    if kind == "flag" and isinstance(raw.get("id"), str):
        return [f"flag.{raw['id']}"]
    return []


def parse_table(document: YamlDocument, schema: Schema) -> tuple[DecisionTable | None, list[SourceProblem]]:
    report = Reporter(document)
    shape = _validate(TableFileShape, document.data, document, (), report)
    if shape is None:
        return None, report.problems
    if shape.output.name in schema:
        report.at(("output", "name"), f"'{shape.output.name}' is an input name", "choose a new name for the table's output")
    table = build_table(shape, schema, report, ())
    return (table if not report.problems else None), report.problems


def _schema_from_context(context: Any, model_id: Any) -> Schema | None:
    model = context.validated("competency_model", model_id, CompetencyModel) if context is not None else None
    if model is not None:
        return build_schema(model, context.validated("kpi_definitions", model_id, KpiCatalog), context.validated("role_profiles", model_id, RoleCatalog))
    if isinstance(model_id, str):
        from competency.files.shipped import shipped_path

        folder = shipped_path("models") / model_id
        if folder.is_dir():
            try:
                return load_schema(folder)
            except SourceErrors:
                return None
    return None
