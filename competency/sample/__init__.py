"""Synthetic sales organisations: the demo's sample organisation and the benchmarks' data.

`generate(out_dir, employees, seed=…)` writes a roster, 360 answers, KPI
figures and potential ratings as the importer reads them, with a handful of
realistic bad rows planted (and counted); `demo_organisation(out_dir)` writes
the fixed sample organisation of `competency demo`.
"""

from competency.sample._files import PlantedFlaw, SampleFiles
from competency.sample._generate import DEMO_EMPLOYEES, DEMO_SEED, demo_organisation, generate

__all__ = ["DEMO_EMPLOYEES", "DEMO_SEED", "PlantedFlaw", "SampleFiles", "demo_organisation", "generate"]
