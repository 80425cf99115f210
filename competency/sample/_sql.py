"""SQL building blocks: deterministic random draws and literals.

Every draw is a hash of the seed, a tag naming what is drawn and the keys of
the thing it is drawn for (`hash(7, 'ability', employee)`), never `random()`:
the same seed gives the same data whatever the thread count or row order.
A 64-bit hash holds three independent 20-bit uniforms.
"""

from __future__ import annotations

from collections.abc import Iterable

from competency._sql import quote_number
from competency._sql import quote_text as text  # noqa: F401 - the generator's name for it

_BITS = 1048575  # 2**20 - 1
_SCALE = 1048576.0


def draw(seed: int, tag: str, *keys: str) -> str:
    """The hash behind one draw: a UBIGINT expression."""
    return f"hash({quote_number(int(seed))}::BIGINT, {text(tag)}, {', '.join(keys)})"


def uniform(seed: int, tag: str, *keys: str) -> str:
    """A uniform number in [0, 1)."""
    return f"(({draw(seed, tag, *keys)} & {_BITS}) / {_SCALE})"


def pick(seed: int, tag: str, count: int, *keys: str) -> str:
    """A whole number in 0 .. count-1."""
    return f"CAST({draw(seed, tag, *keys)} % {quote_number(int(count))} AS BIGINT)"


def normal_of(hash_expression: str) -> str:
    """A standard normal draw (near enough: the sum of three uniforms, scaled to
    mean 0 and standard deviation 1, bounded by ±3) from one hash column."""
    h = hash_expression
    return f"(((({h}) & {_BITS}) + ((({h}) >> 20) & {_BITS}) + ((({h}) >> 40) & {_BITS})) / {_SCALE} - 1.5) * 2.0"


def normal(seed: int, tag: str, *keys: str) -> str:
    return normal_of(draw(seed, tag, *keys))


def bits(hash_expression: str, shift: int, width: int) -> str:
    """`width` bits of a hash from bit `shift` on, as a whole number."""
    return f"CAST((({hash_expression}) >> {shift}) & {(1 << width) - 1} AS BIGINT)"


def text_list(values: Iterable[str]) -> str:
    """A SQL list literal of strings, indexed from 1."""
    return "[" + ", ".join(text(v) for v in values) + "]"


def padded_id(prefix: str, number: str, width: int) -> str:
    """`E000123`: a prefix and a zero-padded number."""
    return f"printf({text(f'{prefix}%0{int(width)}d')}, CAST({number} AS BIGINT))"
