"""Concurrent issuers on a database that really commits: no duplicate, skipped or reused numbers."""

import threading

from sqlmodel import select

from inspect_service.documents import notices
from inspect_service.documents.models import Document
from inspect_service.documents.pdf.fonts import register_fonts
from inspect_service.extensions import db
from inspect_service.parks.models import Park
from tests.documents.factories import make_inspectors, notice_body
from tests.enterprises.factories import make_enterprise
from tests.hazards.factories import actor_of, make_hazard
from tests.parks.factories import make_park

ISSUERS = 8
ROLLED_BACK = {2, 5}  # these issuers roll their transaction back after taking a number


def test_concurrent_issuers_get_distinct_consecutive_numbers(live_app):
    with live_app.app_context(), db.session_scope() as session:
        park = make_park(session)
        enterprise = make_enterprise(session, park)
        inspectors = make_inspectors(session, park)
        hazards = [make_hazard(session, enterprise, inspectors[0]) for _ in range(ISSUERS)]
        ids = {"park": park.id, "enterprise": enterprise, "inspectors": inspectors, "hazards": hazards}
    with live_app.app_context():
        register_fonts()  # built once per machine (tens of seconds): not the subject here, so not inside the race
    start, numbers, errors = threading.Barrier(ISSUERS), [], []

    def issue(n: int):
        try:
            body = notice_body(ids["enterprise"], ids["inspectors"], [ids["hazards"][n]])
            with live_app.app_context():
                start.wait(10)
                session = db.new_session()
                try:
                    actor = actor_of(session, ids["inspectors"][0])
                    document = notices.issue_notice(session=session, actor=actor, body=body)
                    if n in ROLLED_BACK:
                        session.rollback()
                    else:
                        numbers.append((document.seq, document.number))
                        session.commit()
                finally:
                    session.close()
        except Exception as exc:  # noqa: BLE001 - surfaced below: a thread's failure fails the test
            errors.append(repr(exc))

    threads = [threading.Thread(target=issue, args=(n,)) for n in range(ISSUERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert errors == [], errors
    committed = ISSUERS - len(ROLLED_BACK)
    with live_app.app_context(), db.session_scope() as session:
        stored = session.exec(select(Document.seq, Document.number).where(Document.park_id == ids["park"])).all()
        short = session.get(Park, ids["park"]).short_name
    assert sorted(seq for seq, _ in stored) == list(range(1, committed + 1))  # no gap, no duplicate
    assert sorted(stored) == sorted(numbers)
    assert len({number for _, number in stored}) == committed and all(short in number for _, number in stored)
