"""A 200-hazard sync batch through the service vs a raw SQLAlchemy Core bulk insert of the same rows + events.

Same database, side by side; prints the median of several runs and the ratio (target: batch <= 2x raw).
"""

import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import config, database, hazard_body, now, seed
from inspect_service import create_app
from inspect_service.auth.actor import actor_for
from inspect_service.extensions import db
from inspect_service.hazards.models import Hazard, HazardEvent
from inspect_service.parks.models import Park
from inspect_service.sync import batch as sync_batch
from inspect_service.users.models import User

BATCH, RUNS = 200, 5


def _batch(app, ids) -> float:
    ops = [
        {"op_id": str(i), "kind": "create_hazard", "data": {**hazard_body(ids), "id": str(uuid.uuid4())}}
        for i in range(BATCH)
    ]
    with app.app_context():
        session = db.new_session()
        user = session.get(User, ids["user"])
        actor = actor_for(user, session.get(Park, ids["park"]), None)
        start = time.perf_counter()
        results = sync_batch.apply_batch(session=session, actor=actor, operations=ops)
        session.commit()
        elapsed = time.perf_counter() - start
        session.close()
    assert all(r["status"] == 201 for r in results), results[:2]
    return elapsed


def _raw(app, ids) -> float:
    stamp = now()
    hazards, events = [], []
    for i in range(BATCH):
        hazard_id = uuid.uuid4()
        hazards.append(
            {
                "id": hazard_id,
                "park_id": ids["park"],
                "enterprise_id": ids["enterprise"],
                "hazard_no": f"RAW-{uuid.uuid4().hex[:12]}-{i}",
                "location_text": "一车间",
                "domain": "fire",
                "nature": "object",
                "level": "general",
                "source": "park_inspection",
                "description": "消防通道堵塞",
                "legal_basis": "《消防法》第二十八条",
                "rectify_mode": "deadline",
                "status": "registered",
                "found_by": ids["user"],
                "created_at": stamp,
                "updated_at": stamp,
                "payload_hash": "x",
                "details": {},
                "suspected_major": False,
                "round": 1,
                "is_listed": False,
                "stop_order_active": False,
                "false_closure": False,
                "version": 1,
                "responsible_person": "",
                "measures": "",
                "contingency_plan": "",
                "interim_measures": "",
                "acceptance_criteria": "",
                "acceptor": "",
            }
        )
        events.append(
            {
                "id": uuid.uuid4(),
                "park_id": ids["park"],
                "enterprise_id": ids["enterprise"],
                "hazard_id": hazard_id,
                "action": "register",
                "to_status": "registered",
                "actor_id": ids["user"],
                "at": stamp,
                "payload": {},
            }
        )
    with app.app_context():
        start = time.perf_counter()
        with db.engine.begin() as connection:
            connection.execute(insert(Hazard), hazards)
            connection.execute(insert(HazardEvent), events)
        return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmpdir:
        for backend in ("sqlite", "postgres"):
            with database(backend, tmpdir) as url:
                ids = seed(url)
                app = create_app(config(url))
                _batch(app, ids), _raw(app, ids)  # warm up
                batch = statistics.median(_batch(app, ids) for _ in range(RUNS))
                raw = statistics.median(_raw(app, ids) for _ in range(RUNS))
                with app.app_context():
                    db.engine.dispose()
            print(
                f"sync[{backend}] {BATCH}-hazard batch {batch * 1000:.0f} ms | raw Core insert {raw * 1000:.0f} ms | "
                f"batch/raw = {batch / raw:.1f}x (target <= 2x)"
            )


if __name__ == "__main__":
    main()
