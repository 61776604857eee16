"""A filtered ledger page at 10 k and 1 M hazards on PostgreSQL: p95 and the 1 M / 10 k ratio.

Rows are generated in SQL (generate_series); the page is read through the Flask stack (test client).
Targets: p95 <= 30 ms at 1 M and <= 1.5x the 10 k time.
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import config, database, seed
from inspect_service import create_app
from inspect_service.extensions import db

QUERIES = 200
STATUSES = ("registered", "notice_issued", "rectifying", "reply_submitted", "closed")
FILL = text("""
INSERT INTO hazard (id, park_id, enterprise_id, hazard_no, location_text, domain, nature, level, source, description,
  legal_basis, rectify_mode, suspected_major, responsible_person, measures, contingency_plan, interim_measures,
  acceptance_criteria, acceptor, status, round, is_listed, stop_order_active, false_closure, details, found_by,
  created_at, updated_at, version, payload_hash, deadline)
SELECT gen_random_uuid(), :park, :enterprise, 'B-' || :start + g, '一车间', 'fire', 'object',
  CASE WHEN g % 10 = 0 THEN 'major' ELSE 'general' END, 'park_inspection', '消防通道堵塞', '消防法', 'deadline', false,
  '', '', '', '', '', '', (ARRAY['registered','notice_issued','rectifying','reply_submitted','closed'])[1 + g % 5],
  1, false, false, false, '{}'::jsonb, :user, now() - (g || ' seconds')::interval, now(), 1, 'x',
  current_date + (g % 60 - 30)
FROM generate_series(1, :count) AS g
""")


def _fill(app, ids, start: int, count: int) -> None:
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(
            FILL,
            {"park": ids["park"], "enterprise": ids["enterprise"], "user": ids["user"], "start": start, "count": count},
        )
        connection.execute(text("ANALYZE hazard"))


def _p95(app, ids) -> tuple[float, float]:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {ids['token']}"}
    url = "/api/hazards?status=rectifying&level=general&limit=50"
    for _ in range(10):
        assert client.get(url, headers=headers).status_code == 200
    times = []
    for _ in range(QUERIES):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        assert len(response.json["items"]) == 50
    return statistics.quantiles(times, n=20)[18], statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmpdir, database("postgres", tmpdir) as url:
        ids = seed(url)
        app = create_app(config(url))
        _fill(app, ids, 0, 10_000)
        small, small_median = _p95(app, ids)
        _fill(app, ids, 10_000, 990_000)
        large, large_median = _p95(app, ids)
        with app.app_context():
            db.engine.dispose()
    print(
        f"ledger[postgres] 10k: p95 {small:.1f} ms (median {small_median:.1f}) | 1M: p95 {large:.1f} ms "
        f"(median {large_median:.1f}) | 1M/10k = {large / small:.2f}x (targets: p95 <= 30 ms, ratio <= 1.5x)"
    )


if __name__ == "__main__":
    main()
