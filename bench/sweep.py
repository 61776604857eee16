"""The reminder sweep with 1 k hazards due among 10 k and among 1 M open hazards (PostgreSQL).

Shows that the sweep's cost follows what is due, not how many hazards exist. Target: <= 200 ms at 1 M, ratio ~1.
"""

import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import config, database, now, seed
from inspect_service import create_app
from inspect_service.common.time import local_date
from inspect_service.extensions import db
from inspect_service.hazards import jobs

DUE = 1_000
FILL = text("""
INSERT INTO hazard (id, park_id, enterprise_id, hazard_no, location_text, domain, nature, level, source, description,
  legal_basis, rectify_mode, suspected_major, responsible_person, measures, contingency_plan, interim_measures,
  acceptance_criteria, acceptor, status, round, is_listed, stop_order_active, false_closure, details, found_by,
  created_at, updated_at, version, payload_hash, deadline)
SELECT gen_random_uuid(), :park, :enterprise, 'S-' || (:start + g), '一车间', 'fire', 'object', 'general',
  'park_inspection', '消防通道堵塞', '消防法', 'deadline', false, '', '', '', '', '', '', 'rectifying', 1, false,
  false, false, '{}'::jsonb, :user, now(), now(), 1, 'x', CAST(:deadline AS date)
FROM generate_series(1, :count) AS g
""")


def _fill(app, ids, start: int, count: int, deadline) -> None:
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(
            FILL,
            {
                "park": ids["park"],
                "enterprise": ids["enterprise"],
                "user": ids["user"],
                "start": start,
                "count": count,
                "deadline": deadline,
            },
        )
        connection.execute(text("ANALYZE hazard"))


def _sweep(app, repeat: int = 5) -> tuple[float, str]:
    """The median of `repeat` sweeps, each starting with no notification sent."""
    runs = sorted(_sweep_once(app) for _ in range(repeat))
    return runs[len(runs) // 2]


def _sweep_once(app) -> tuple[float, str]:
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("DELETE FROM outbox_delivery"))
            connection.execute(text("DELETE FROM notification"))
        session = db.new_session()
        start = time.perf_counter()
        summary = jobs.send_reminders(session=session)
        session.commit()
        elapsed = time.perf_counter() - start
        session.close()
    return elapsed, summary


def _recipient(app, ids) -> None:
    """The enterprise's safety officer, who receives the reminders."""
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO app_user (id, username, display_name, phone, email, role, park_id, enterprise_id, "
                "disabled, password_hash, password_changed_at, version, created_at) VALUES (gen_random_uuid(), "
                "'sweep-officer', "
                "'安全员', '', '', 'enterprise_safety_officer', :park, :enterprise, false, 'x', now(), 1, now())"
            ),
            {"park": ids["park"], "enterprise": ids["enterprise"]},
        )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmpdir, database("postgres", tmpdir) as url:
        ids = seed(url)
        app = create_app(config(url))
        _recipient(app, ids)
        today = local_date(now(), "Asia/Shanghai")
        _fill(app, ids, 0, DUE, today + timedelta(days=1))  # due: T-1
        _fill(app, ids, DUE, 10_000 - DUE, today + timedelta(days=90))
        small, small_summary = _sweep(app)
        _fill(app, ids, 10_000, 990_000, today + timedelta(days=90))
        large, large_summary = _sweep(app)
        with app.app_context():
            db.engine.dispose()
    print(
        f"sweep[postgres] median of 5, 10k open / {DUE} due: {small * 1000:.0f} ms ({small_summary}) | "
        f"1M open / {DUE} due: {large * 1000:.0f} ms ({large_summary}) | "
        f"1M/10k = {large / small:.2f}x (target <= 200 ms, ratio ~1)"
    )


if __name__ == "__main__":
    main()
