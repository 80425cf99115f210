"""`competency validate` for guidelines files: the shape, then the ratings it
names against the rating scale of the rule set beside it."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from competency.files.pydantic_errors import problems_from
from competency.files.yaml_loader import YamlDocument
from competency.calibration.guidelines import Guidelines
from competency.errors import SourceProblem
from competency.files.bundle import Documents
from competency._text import did_you_mean


def rating_order_beside(document: YamlDocument, context: Documents) -> list[str] | None:
    """The rating scale (best first) of the rule set that the scoring file of the
    same model names, when both are found beside the guidelines file."""
    model = document.data.get("model") if isinstance(document.data, dict) else None
    scoring = next((d.data for d in context.by_kind.get("scoring", []) if isinstance(d.data, dict) and d.data.get("model") == model), None)
    if not isinstance(scoring, dict) or not isinstance(scoring.get("rating"), dict):
        return None
    ruleset_id = scoring["rating"].get("ruleset")
    output_name = scoring["rating"].get("rating", "rating")
    for ruleset in context.by_kind.get("ruleset", []):
        data: Any = ruleset.data
        if not isinstance(data, dict) or data.get("id") != ruleset_id:
            continue
        for step in data.get("steps") or []:
            output = step.get("output") if isinstance(step, dict) else None
            if isinstance(output, dict) and output.get("name") == output_name:
                order = output.get("order") or output.get("values")
                if isinstance(order, list):
                    return [str(value) for value in order]
    return None


def check_guidelines(document: YamlDocument, context: Documents) -> list[SourceProblem]:
    """Every problem of a guidelines file, placed in the file."""
    try:
        guidelines = Guidelines.model_validate(document.data)
    except ValidationError as error:
        return problems_from(error, document, Guidelines)
    return ratings_problems(document, guidelines, rating_order_beside(document, context))


def ratings_problems(document: YamlDocument, guidelines: Guidelines, scale: list[str] | None) -> list[SourceProblem]:
    """Ratings named in the file that are not on the rating scale."""
    if scale is None:
        return []
    problems = []
    for path, rating in guidelines.ratings_named():
        if rating not in scale:
            problems.append(
                document.problem(path, f"rating '{rating}' is not on the rating scale ({', '.join(scale)})", did_you_mean(rating, scale), at_key=path[-1] == rating)
            )
    last = scale[-1]
    if last in guidelines.suggest.thresholds:
        problems.append(document.problem(("suggest", "thresholds", last), f"the lowest rating '{last}' has no lower threshold", "list the thresholds of every rating but the lowest", at_key=True))
    missing = [r for r in scale[:-1] if r not in guidelines.suggest.thresholds]
    if missing:
        problems.append(document.problem(("suggest", "thresholds"), f"no threshold for rating '{missing[0]}'", "give the lowest score of every rating band but the lowest"))
    return problems
