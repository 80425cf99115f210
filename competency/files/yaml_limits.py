"""Limits a YAML file must keep before it is built into data.

Our files need no anchors or aliases, no deep nesting and no huge values; a
hostile file uses them to make the loader build an exponential tree (the
"billion laughs"), recurse until the interpreter crashes, or convert a number
of thousands of digits. One pass over the parser's events, which never
expands an alias or recurses, finds them first, each with its position.
"""

from __future__ import annotations

from typing import Any

import yaml

from competency.errors import Location, SourceProblem

MAX_DEPTH = 50
MAX_SCALAR = 10_000  # characters of one value
MAX_NUMBER = 100  # characters of one plain number

ANCHORS = "YAML anchors and aliases (&name, *name) are not used in competency files"
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Scan:
    """One pass over the events: the problems found so far, each placed at a parser mark."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.problems: list[SourceProblem] = []
        self.resolver = yaml.resolver.Resolver()
        self.depth = 0

    def add(self, mark: Any, message: str, hint: str) -> None:
        start = self.text.rfind("\n", 0, mark.index) + 1
        end = self.text.find("\n", mark.index)
        line = self.text[start:] if end < 0 else self.text[start:end]
        self.problems.append(SourceProblem(Location(self.file, mark.line + 1, mark.column + 1), message, hint, line))

    def event(self, event: yaml.Event) -> bool:
        """Check one event; False when scanning should stop."""
        if getattr(event, "anchor", None) is not None:
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            self.add(event.start_mark, f"{ANCHORS}: found {sign}{event.anchor}", "write the value out in full at each place it is needed")
            return False
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                hint = "competency files need a few levels: look for brackets [ { that are never closed"
                self.add(event.start_mark, f"the values are nested more than {MAX_DEPTH} levels deep", hint)
                return False
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.depth -= 1
        elif isinstance(event, yaml.ScalarEvent):
            self.scalar(event)
        return True

    def scalar(self, event: yaml.ScalarEvent) -> None:
        size = len(event.value)
        if size > MAX_SCALAR:
            message = f"a value of {size:,} characters is too long (at most {MAX_SCALAR:,})"
            self.add(event.start_mark, message, "shorten it, or look for a quote that is never closed")
        elif size > MAX_NUMBER and self._is_number(event):
            self.add(event.start_mark, f"a number of {size:,} characters is too long (at most {MAX_NUMBER})", "write the number with fewer digits")

    def _is_number(self, event: yaml.ScalarEvent) -> bool:
        """The value would be built as an int or a float (plain, or tagged !!int / !!float)."""
        if event.tag not in (None, "!"):
            return event.tag in _NUMBER_TAGS
        return not event.style and self.resolver.resolve(yaml.ScalarNode, event.value, (True, False)) in _NUMBER_TAGS


def limit_problems(text: str, file: str) -> list[SourceProblem]:
    """Anchors, aliases, nesting deeper than MAX_DEPTH and oversized values in `text`.

    Scanning stops at the first anchor or alias, or at the first place too deep;
    a syntax error ends it quietly (the loader reports it in its own words)."""
    scan = _Scan(text, file)
    parser = _PARSER(text)
    keep_going = True
    try:
        while keep_going and parser.check_event():
            keep_going = scan.event(parser.get_event())
    except yaml.YAMLError:
        return scan.problems  # the loader reports the syntax error in its own words
    finally:
        parser.dispose()
    return scan.problems
