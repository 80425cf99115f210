"""Screenshots of the individual and calibration reports, for a reviewer to look at.

Example:
    python tools/screenshots.py --out screenshots --lang en

Runs the demo organisation into a scratch folder (or uses --workspace), writes
the individual report of one person (one with figures withheld, so the page
shows how that reads) and the calibration report, and takes PNG screenshots
with headless Chromium (Debian's `chromium`): a screen per section and the
whole page. Prints the paths. Not a test.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from competency.store.workspace import Workspace
from competency.workflow.demo import run_demo
from competency.workflow.reports import report_calibration, report_individual

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
# One screen per section worth looking at (the page's element ids), then the whole page.
SECTIONS = {
    "individual": ("", "self-view", "by-group", "behaviours", "kpis", "comments", "plan"),
    "calibration": ("", "nine-box", "leniency", "changes"),
}


def browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("no Chromium found: install it with `apt-get install -y chromium`")


def screenshot(html: Path, png: Path, width: int, height: int, section: str = "") -> Path:
    """One PNG of `html` in a window of width × height (CSS pixels); with `section`, of that
    section alone (a copy of the page that hides the others)."""
    with tempfile.TemporaryDirectory() as profile:
        if section:
            copy = Path(profile) / f"{html.stem}-{section}.html"
            hide = f"<style>main > section:not(#{section}) {{ display: none; }} .section-break {{ break-before: auto; }}</style></head>"
            copy.write_text(html.read_text(encoding="utf-8").replace("</head>", hide, 1), encoding="utf-8")
            html = copy
        subprocess.run(
            [
                browser(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile}", f"--window-size={width},{height}", f"--screenshot={png}", html.resolve().as_uri(),
            ],
            check=True, capture_output=True, timeout=120,
        )
    return png


def interesting_person(workspace: Workspace, cycle_id: str | None) -> str:
    """Someone with a withheld group figure and comments, else the first person."""
    row = workspace.db.execute(
        """SELECT g.employee_id FROM group_scores g JOIN responses r USING (cycle_id, employee_id)
           WHERE NOT g.publishable AND r.comment IS NOT NULL
           GROUP BY ALL ORDER BY count(DISTINCT r.comment) DESC, g.employee_id LIMIT 1"""
    ).fetchone()
    return row[0] if row else workspace.db.execute("SELECT min(employee_id) FROM person_results").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--lang", choices=("zh", "en"), default="en")
    parser.add_argument("--workspace", type=Path, help="a scored workspace (default: run the demo into a scratch folder)")
    parser.add_argument("--employee", help="whose individual report (default: one with withheld figures and comments)")
    parser.add_argument("--width", type=int, default=900)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        workspace_path = args.workspace or run_demo(Path(scratch) / "demo", args.lang).workspace
        with Workspace(workspace_path) as workspace:
            employee = args.employee or interesting_person(workspace, None)
            html = Path(scratch) / "html"
            pages = {
                "individual": report_individual(workspace, None, [employee], "html", args.lang, html)[0],
                "calibration": report_calibration(workspace, None, "html", args.lang, html)[0],
            }
        for name, page in pages.items():
            for fragment in SECTIONS[name]:
                suffix = f"-{fragment}" if fragment else ""
                print(screenshot(page, args.out / f"{name}-{args.lang}{suffix}.png", args.width, 1270, fragment))
            print(screenshot(page, args.out / f"{name}-{args.lang}-full.png", args.width, 9000))


if __name__ == "__main__":
    main()
