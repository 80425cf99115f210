"""How many examples a property test runs, by Hypothesis profile.

`.ci/run` sets COMPETENCY_HYPOTHESIS=ci: every test runs its full count (never
fewer than before the profiles existed). At a desk the default `dev` profile
runs a fifth of it, at least 5, so the suite stays quick to run while working.
"""

from __future__ import annotations

import os

PROFILE = os.environ.get("COMPETENCY_HYPOTHESIS", "dev")
if PROFILE not in ("dev", "ci"):
    raise RuntimeError(f"COMPETENCY_HYPOTHESIS={PROFILE!r}: use 'dev' or 'ci'")


def examples(full: int) -> int:
    """`full` under the ci profile; a fifth of it (at least 5) under dev."""
    return full if PROFILE == "ci" else max(5, full // 5)
