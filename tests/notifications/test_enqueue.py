"""enqueue: one notification per (recipient, reason, object, due date), with its outbox rows."""

import threading
import uuid
from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from inspect_service.extensions import db
from inspect_service.notifications.models import BODY_MAX, TITLE_MAX, Notification, OutboxDelivery
from inspect_service.parks.models import Park
from tests.notifications.factories import make_subscription, notify
from tests.parks.factories import make_park
from tests.users.factories import make_user


@pytest.fixture
def manager(session):
    park = make_park(session)
    return make_user(session, role="park_manager", park=park, email="zhang.san@example.com")


def _notifications(session, user):
    return session.exec(select(Notification).where(Notification.recipient_id == user.id)).all()


def _deliveries(session, user):
    query = select(OutboxDelivery).join(Notification).where(Notification.recipient_id == user.id)
    return session.exec(query).all()


def test_same_key_twice_is_written_once(session, manager):
    hazard_id = uuid.uuid4()
    assert notify(session, recipient=manager, object_id=hazard_id, due=date(2026, 12, 1)) is True
    assert notify(session, recipient=manager, object_id=hazard_id, due=date(2026, 12, 1), title="再次") is False
    assert len(_notifications(session, manager)) == 1


def test_missing_due_date_is_a_key_of_its_own(session, manager):
    hazard_id = uuid.uuid4()
    assert notify(session, recipient=manager, object_id=hazard_id, due=None) is True
    assert notify(session, recipient=manager, object_id=hazard_id, due=None) is False
    assert notify(session, recipient=manager, object_id=hazard_id, due=date(2026, 12, 1)) is True
    assert notify(session, recipient=manager, object_id=hazard_id, reason="hazard.overdue") is True
    assert len(_notifications(session, manager)) == 3


def test_a_refused_repeat_keeps_the_callers_other_work(session, manager):
    hazard_id = uuid.uuid4()
    notify(session, recipient=manager, object_id=hazard_id)
    other = make_user(session, role="inspector", park=session.get(Park, manager.park_id))
    assert notify(session, recipient=manager, object_id=hazard_id) is False
    session.commit()
    assert session.get(type(other), other.id) is not None


def test_unknown_recipient_is_an_error_not_a_repeat(session, manager):
    ghost = type(manager)(id=uuid.uuid4(), park_id=manager.park_id)
    with pytest.raises(IntegrityError):
        notify(session, recipient=ghost)


def test_email_is_queued_only_when_smtp_is_configured(app, session, manager, monkeypatch):
    notify(session, recipient=manager)
    assert _deliveries(session, manager) == []
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    notify(session, recipient=manager)
    assert [(d.channel, d.target) for d in _deliveries(session, manager)] == [("email", "zhang.san@example.com")]


def test_no_email_for_a_recipient_without_an_address(app, session, manager, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    inspector = make_user(session, role="inspector", park=session.get(Park, manager.park_id))
    notify(session, recipient=inspector)
    assert _deliveries(session, inspector) == []


def test_webhooks_follow_enabled_subscriptions_whose_reasons_match(session, manager):
    park = session.get(Park, manager.park_id)
    every = make_subscription(session, park, manager)
    overdue_only = make_subscription(session, park, manager, reasons=["hazard.overdue"])
    make_subscription(session, park, manager, disabled=True)
    make_subscription(session, make_park(session), manager)  # another park's receiver

    notify(session, recipient=manager, reason="hazard.deadline_near")
    notify(session, recipient=manager, reason="hazard.overdue")

    targets = sorted((d.channel, d.target) for d in _deliveries(session, manager))
    expected = sorted([("webhook", str(every.id))] * 2 + [("webhook", str(overdue_only.id))])
    assert targets == expected


def test_concurrent_enqueues_of_one_key_write_one_notification(live_app):
    with live_app.app_context(), db.session_scope() as session:
        park = make_park(session)
        user = make_user(session, role="park_manager", park=park)
    hazard_id, start, results = uuid.uuid4(), threading.Barrier(2), []

    def enqueue():
        with live_app.app_context(), db.session_scope() as session:
            start.wait(5)
            results.append(notify(session, recipient=user, object_id=hazard_id, due=date(2026, 12, 1)))

    threads = [threading.Thread(target=enqueue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(results) == [False, True]
    with live_app.app_context(), db.session_scope() as session:
        assert len(_notifications(session, user)) == 1


def test_long_generated_text_is_cut_to_the_columns(session, manager):
    notify(session, recipient=manager, title="题" * 500, body="文" * 10000)
    (notification,) = _notifications(session, manager)
    assert (len(notification.title), len(notification.body)) == (TITLE_MAX, BODY_MAX)
