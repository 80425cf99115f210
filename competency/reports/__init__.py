"""Reports and exports: Jinja2 templates rendered to self-contained HTML (charts as
inline SVG drawn in `svg`) or Markdown, and tables as CSV, XLSX or JSON.

`load` reads a cycle's stored results in bulk; `individual`, `team`,
`calibration`, `org` and `plan` turn them into each template's context (pure);
`render` holds the one Jinja2 environment; `exports` writes tables. The
workflow (`competency.workflow.reports`) ties them together for the CLI.
"""
