"""The HTML reports load in a real browser: headless Chromium parses each one without a
console message or error, and its SVG charts are in the page it builds.

Debian's `chromium` is needed; without it the test is skipped on a workstation
and fails under CI (where `.ci/run` installs it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest


BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-extensions", "--enable-logging=stderr", "--v=0",
]


@pytest.fixture(scope="module")
def browser() -> str:
    if BROWSER is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed, and under CI it must be: apt-get install -y chromium")
        pytest.skip("chromium is not installed (apt-get install -y chromium); CI runs this test")
    return BROWSER


def _pages(report_set: Path) -> list[Path]:
    pages = [
        next((report_set / "people").glob("individual-*.html")),
        next((report_set / "teams").glob("team-*.html")),
        report_set / "calibration.html",
        report_set / "org.html",
    ]
    pages.append(next(p for p in sorted((report_set / "plans").glob("plan-*.html")) if "<svg" in p.read_text(encoding="utf-8")))
    return pages


def test_every_report_loads_in_chromium_with_its_charts(browser: str, report_set: Path, tmp_path: Path) -> None:
    for page in _pages(report_set):
        result = subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={tmp_path / page.stem}", "--dump-dom", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=120, check=False,
        )
        assert result.returncode == 0, f"{page.name}: chromium exited {result.returncode}\n{result.stderr[-2000:]}"
        console = [line for line in result.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
        assert console == [], f"{page.name}: the page logged {console}"
        dom = result.stdout
        source = page.read_text(encoding="utf-8")
        assert dom.rstrip().endswith("</html>"), f"{page.name}: the page did not finish loading"
        assert dom.count("<svg") == source.count("<svg") > 0, f"{page.name}: charts missing from the page the browser built"
        assert "<parsererror" not in dom
        title = re.search(r"<title>(.*?)</title>", source).group(1)
        assert f"<title>{title}</title>" in dom
