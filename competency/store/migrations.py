"""The workspace schema, as named migrations applied in order and recorded.

A migration is never edited once released: a change to the schema is a new
migration at the end of the list.
"""

from __future__ import annotations

import re

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_cycles_and_imports",
        """
        CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
        CREATE TABLE cycles (
            cycle_id VARCHAR PRIMARY KEY,
            status VARCHAR NOT NULL,              -- open, scored, calibrating, final
            opened_at TIMESTAMP NOT NULL,
            model_id VARCHAR NOT NULL,
            model_version VARCHAR NOT NULL,
            scored_at TIMESTAMP
        );
        -- The model and rule files a cycle was opened with, frozen: re-scoring
        -- uses these copies, so results do not change when the YAML does.
        CREATE TABLE cycle_files (
            cycle_id VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,                -- competency_model, kpi_definitions, role_profiles, ruleset, scoring
            name VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            text VARCHAR NOT NULL,
            PRIMARY KEY (cycle_id, name)
        );
        CREATE TABLE imports (
            import_id INTEGER PRIMARY KEY,
            cycle_id VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,                -- roster, responses, kpis, potential
            file_name VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            rows_total BIGINT NOT NULL,
            accepted BIGINT NOT NULL,
            rejected BIGINT NOT NULL,
            imported_at TIMESTAMP NOT NULL,
            superseded BOOLEAN NOT NULL DEFAULT false
        );
        CREATE TABLE rejected_rows (
            import_id INTEGER NOT NULL,
            row_number BIGINT NOT NULL,           -- as a spreadsheet counts: the header is row 1
            reason VARCHAR NOT NULL,
            raw VARCHAR                           -- the row as read, for the analyst to fix
        );
        """,
    ),
    (
        "0002_cycle_data",
        """
        CREATE TABLE roster (
            cycle_id VARCHAR NOT NULL,
            employee_id VARCHAR NOT NULL,
            name VARCHAR,
            role VARCHAR NOT NULL,
            manager_id VARCHAR,
            department VARCHAR,
            region VARCHAR,
            attributes JSON,                      -- any further roster columns
            import_id INTEGER NOT NULL,
            PRIMARY KEY (cycle_id, employee_id)
        );
        -- Rater ids stay inside the workspace: no command prints them next to answers.
        CREATE TABLE responses (
            cycle_id VARCHAR NOT NULL,
            employee_id VARCHAR NOT NULL,
            rater_id VARCHAR NOT NULL,
            relationship VARCHAR NOT NULL,
            item_id VARCHAR NOT NULL,
            competency_id VARCHAR NOT NULL,
            score DOUBLE,                         -- NULL: 'cannot rate'
            comment VARCHAR,
            import_id INTEGER NOT NULL
        );
        CREATE TABLE kpi_actuals (
            cycle_id VARCHAR NOT NULL,
            employee_id VARCHAR NOT NULL,
            kpi_id VARCHAR NOT NULL,
            actual DOUBLE NOT NULL,
            target DOUBLE NOT NULL,
            import_id INTEGER NOT NULL,
            PRIMARY KEY (cycle_id, employee_id, kpi_id)
        );
        CREATE TABLE potential (
            cycle_id VARCHAR NOT NULL,
            employee_id VARCHAR NOT NULL,
            potential VARCHAR NOT NULL,           -- low, medium, high
            import_id INTEGER NOT NULL,
            PRIMARY KEY (cycle_id, employee_id)
        );
        """,
    ),
    (
        "0003_results",
        """
        -- One row per published-or-not figure: person x competency (or item) x rater group.
        CREATE TABLE group_scores (
            cycle_id VARCHAR NOT NULL,
            employee_id VARCHAR NOT NULL,
            competency_id VARCHAR NOT NULL,
            item_id VARCHAR,                      -- NULL for the competency-level figure
            rater_group VARCHAR NOT NULL,         -- self, manager, peer, direct_report, customer, others, all_others
            raters INTEGER NOT NULL,
            mean DOUBLE,
            publishable BOOLEAN NOT NULL,
            reason VARCHAR                        -- why a figure is not publishable
        );
        CREATE TABLE competency_scores (
            cycle_id VARCHAR NOT NULL,
            employee_id VARCHAR NOT NULL,
            competency_id VARCHAR NOT NULL,
            score DOUBLE,                         -- weighted 360 score, self excluded
            self_score DOUBLE,
            level INTEGER,
            required INTEGER,
            gap INTEGER,
            weight DOUBLE,
            raters INTEGER NOT NULL,
            PRIMARY KEY (cycle_id, employee_id, competency_id)
        );
        CREATE TABLE kpi_scores (
            cycle_id VARCHAR NOT NULL,
            employee_id VARCHAR NOT NULL,
            kpi_id VARCHAR NOT NULL,
            actual DOUBLE,
            target DOUBLE,
            attainment DOUBLE,
            score DOUBLE,
            weight DOUBLE,
            PRIMARY KEY (cycle_id, employee_id, kpi_id)
        );
        CREATE TABLE person_results (
            cycle_id VARCHAR NOT NULL,
            employee_id VARCHAR NOT NULL,
            competency_index DOUBLE,
            kpi_index DOUBLE,
            ability DOUBLE,
            performance DOUBLE,
            potential VARCHAR,
            rating VARCHAR,
            nine_box VARCHAR,
            flags VARCHAR[],
            trace JSON,
            PRIMARY KEY (cycle_id, employee_id)
        );
        """,
    ),
    (
        "0004_overrides_and_audit",
        """
        -- Calibration overrides, append-only: a person's final rating is the
        -- latest override's rating, or the computed rating when there is none
        -- (or the latest override's rating is NULL: an undo back to computed).
        CREATE TABLE overrides (
            override_id INTEGER PRIMARY KEY,
            cycle_id VARCHAR NOT NULL,
            employee_id VARCHAR NOT NULL,
            previous VARCHAR,                     -- final rating before this change
            rating VARCHAR,                       -- NULL: back to the computed rating
            reason VARCHAR NOT NULL,
            reason_code VARCHAR,
            changed_by VARCHAR NOT NULL,
            changed_at TIMESTAMP NOT NULL,
            kind VARCHAR NOT NULL                 -- manual, suggested, undo
        );
        -- Every change to a rating or to a cycle's state, each row chained to the
        -- previous one by its hash, so an edit behind the tool's back is detected.
        CREATE TABLE audit_log (
            seq BIGINT PRIMARY KEY,
            cycle_id VARCHAR NOT NULL,
            logged_at TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,
            action VARCHAR NOT NULL,              -- override, undo, suggest, lock, reopen, …
            employee_id VARCHAR,
            previous VARCHAR,
            new VARCHAR,
            reason VARCHAR,
            kind VARCHAR,
            prev_hash VARCHAR NOT NULL,
            hash VARCHAR NOT NULL
        );
        CREATE VIEW final_results AS
        WITH latest AS (
            SELECT * FROM overrides
            QUALIFY row_number() OVER (PARTITION BY cycle_id, employee_id ORDER BY override_id DESC) = 1
        )
        SELECT p.*, coalesce(l.rating, p.rating) AS final_rating, l.rating IS NOT NULL AS overridden
        FROM person_results p LEFT JOIN latest l USING (cycle_id, employee_id);
        """,
    ),
    (
        "0005_plans",
        """
        -- Development plans, one per person and cycle; `plan generate` replaces a
        -- cycle's plans in one transaction. The texts of actions and questions
        -- come from the cycle's frozen action library and development rules.
        CREATE TABLE plans (
            cycle_id VARCHAR NOT NULL,
            employee_id VARCHAR NOT NULL,
            plan_type VARCHAR NOT NULL,           -- improvement, development, growth
            final_rating VARCHAR,                 -- the calibrated rating the plan was made from
            role VARCHAR,
            next_role VARCHAR,                    -- growth plans: the post the role reports to
            manager_id VARCHAR,
            focus_count INTEGER NOT NULL,         -- as decided by the rules (the focus list may be shorter)
            reason VARCHAR,                       -- why the focus is shorter than decided (empty or partial)
            quarter VARCHAR NOT NULL,             -- the quarter the plan runs in, e.g. 2027-Q1
            starts DATE NOT NULL,
            due DATE NOT NULL,
            review_date DATE,                     -- improvement plans: the date of the formal review
            decision JSON,                        -- the rule trace that chose the plan type and focus count
            generated_at TIMESTAMP NOT NULL,
            PRIMARY KEY (cycle_id, employee_id)
        );
        CREATE TABLE plan_focus (
            cycle_id VARCHAR NOT NULL,
            employee_id VARCHAR NOT NULL,
            rank INTEGER NOT NULL,
            competency_id VARCHAR NOT NULL,
            source VARCHAR NOT NULL,              -- gap, blind_spot, next_role, stretch
            score DOUBLE,                         -- 360 score (self excluded) when planned
            self_score DOUBLE,
            level INTEGER,
            required INTEGER,                     -- the role's required level
            goal INTEGER NOT NULL,                -- the level the source aims at (required, the next post's, top, one up)
            target_level INTEGER NOT NULL,        -- this quarter's target: the goal, at most `target_step` levels up
            priority DOUBLE,
            PRIMARY KEY (cycle_id, employee_id, competency_id)
        );
        CREATE TABLE plan_behaviours (
            cycle_id VARCHAR NOT NULL,
            employee_id VARCHAR NOT NULL,
            competency_id VARCHAR NOT NULL,
            item_id VARCHAR NOT NULL,
            figure VARCHAR NOT NULL,              -- the publishable figure used (all_others, manager, …)
            mean DOUBLE,
            rank INTEGER NOT NULL
        );
        CREATE TABLE plan_actions (
            cycle_id VARCHAR NOT NULL,
            employee_id VARCHAR NOT NULL,
            competency_id VARCHAR NOT NULL,
            action_id VARCHAR NOT NULL,
            action_type VARCHAR NOT NULL,         -- experience, exposure, education
            weeks INTEGER NOT NULL,
            hours DOUBLE NOT NULL,
            rank INTEGER NOT NULL
        );
        CREATE TABLE plan_partners (
            cycle_id VARCHAR NOT NULL,
            employee_id VARCHAR NOT NULL,
            competency_id VARCHAR NOT NULL,
            partner_id VARCHAR NOT NULL,
            partner_kind VARCHAR NOT NULL         -- manager, colleague
        );
        -- Strengths, hidden strengths and blind spots shown in the plan.
        CREATE TABLE plan_insights (
            cycle_id VARCHAR NOT NULL,
            employee_id VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,                -- strength, strength_behaviour, hidden_strength, blind_spot
            competency_id VARCHAR NOT NULL,
            item_id VARCHAR,
            figure VARCHAR,
            score DOUBLE,
            self_score DOUBLE,
            rank INTEGER NOT NULL
        );
        """,
    ),
    (
        "0006_behaviour_figures_on_demand",
        """
        -- Behaviour (item-level) figures are derived from the answers when a report
        -- or plan needs them (competency/scoring/behaviours.py), no longer stored.
        DELETE FROM group_scores WHERE item_id IS NOT NULL;
        ALTER TABLE group_scores DROP COLUMN item_id;
        """,
    ),
]


def _without_key(table: str) -> str:
    """SQL re-creating `table` as an earlier migration made it, minus its primary key, rows kept."""
    created = next(sql for _, sql in MIGRATIONS if f"CREATE TABLE {table} (" in sql)
    start = created.index(f"CREATE TABLE {table} (")
    ddl = created[start : created.index(");", start) + 2]
    ddl = re.sub(r",\n\s*PRIMARY KEY \([^)]*\)\n", "\n", ddl).replace(f"CREATE TABLE {table} (", f"CREATE TABLE {table}_unkeyed (")
    return f"{ddl}\nINSERT INTO {table}_unkeyed SELECT * FROM {table};\nDROP TABLE {table};\nALTER TABLE {table}_unkeyed RENAME TO {table};\n"


# Tables written and replaced in bulk (imports with --replace, `score`, `plan generate`)
# are unique per key by construction: the import rejects duplicates, the rest is
# grouped SQL. Their primary-key indexes cost more than the work itself at scale —
# re-scoring 100,000 people took 31 s instead of 10 s, mostly removing the old rows
# from the indexes at commit — so they are rebuilt without them.
BULK_TABLES = ("roster", "kpi_actuals", "potential", "competency_scores", "kpi_scores", "person_results", "plans", "plan_focus")
MIGRATIONS.append(("0007_bulk_tables_without_key_indexes", "".join(_without_key(table) for table in BULK_TABLES)))
MIGRATIONS.append(
    (
        "0008_publication_decisions_and_releases",
        """
        -- Anonymity decisions as data (DESIGN §7a): the figure each group is published
        -- in (itself, 'others' or none), a reason code from a closed set
        -- (competency/publication/reasons.py) instead of an English sentence, and the
        -- count of anonymous raters behind the decision.
        ALTER TABLE group_scores ADD COLUMN published_as VARCHAR;
        ALTER TABLE group_scores ADD COLUMN anonymous_raters INTEGER;
        UPDATE group_scores SET
            published_as = CASE WHEN publishable THEN rater_group WHEN reason LIKE 'pooled into others%' THEN 'others' END,
            anonymous_raters = CASE WHEN rater_group IN ('self', 'manager') THEN 0 WHEN rater_group <> 'all_others' THEN raters END,
            reason = CASE WHEN publishable THEN NULL
                          WHEN reason LIKE 'pooled into others%' THEN 'pooled'
                          WHEN reason LIKE '%too few to pool%' THEN 'group_minimum'
                          WHEN reason LIKE '%by difference%' THEN 'differencing'
                          WHEN reason LIKE '%anonymous raters%' THEN 'anonymous_minimum'
                          WHEN reason LIKE 'suppressed: fewer than%' THEN 'all_minimum'
                          ELSE 'group_minimum' END;
        -- What left the tool: every completed scoring run counts as released. Per
        -- person, competency and published figure, the anonymous raters behind it
        -- and the behaviours each answered; a later run withholds a figure whose
        -- raters differ from a released one's by 1 to k - 1 (reason cross_release).
        CREATE TABLE releases (
            release_id INTEGER PRIMARY KEY,
            cycle_id VARCHAR NOT NULL,
            released_at TIMESTAMP NOT NULL
        );
        CREATE TABLE released_raters (
            release_id INTEGER NOT NULL,
            employee_id VARCHAR NOT NULL,
            competency_id VARCHAR NOT NULL,
            figure VARCHAR NOT NULL,              -- a group, 'others' or 'all_others'
            rater_id VARCHAR NOT NULL,
            items UBIGINT NOT NULL                -- bit i set: answered the competency's behaviour i
        );
        """,
    )
)
MIGRATIONS.append(
    (
        "0009_final_results_with_override_reason",
        """
        -- The reason of the override a final rating comes from, beside it: NULL when the
        -- rating is the computed one (no override, or the latest is an undo). Reports read
        -- it here instead of looking the latest override up again.
        CREATE OR REPLACE VIEW final_results AS
        WITH latest AS (
            SELECT * FROM overrides
            QUALIFY row_number() OVER (PARTITION BY cycle_id, employee_id ORDER BY override_id DESC) = 1
        )
        SELECT p.*, coalesce(l.rating, p.rating) AS final_rating, l.rating IS NOT NULL AS overridden,
               CASE WHEN l.rating IS NOT NULL THEN l.reason END AS override_reason
        FROM person_results p LEFT JOIN latest l USING (cycle_id, employee_id);
        """,
    )
)
MIGRATIONS.append(
    (
        "0010_audit_log_signed",
        """
        -- Each audit row's HMAC under the audit key, which lives outside the workspace
        -- (competency/files/keys.py): a chain and its head can be recomputed by anyone who
        -- can write this file, a MAC cannot. Rows written before this migration keep NULL
        -- and count only once a signed row follows them (competency/calibration/audit.py).
        ALTER TABLE audit_log ADD COLUMN mac VARCHAR;
        """,
    )
)
