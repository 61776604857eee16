"""The outbox sweep: real SMTP and HTTP receivers on 127.0.0.1, signatures, backoff, timeouts, concurrency."""

import email
import email.policy
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from sqlmodel import select

from inspect_service import scheduler
from inspect_service.auth.actor import actor_for
from inspect_service.common.time import utcnow
from inspect_service.extensions import db
from inspect_service.notifications import jobs
from inspect_service.notifications import service as notification_service
from inspect_service.notifications.models import OutboxDelivery, WebhookSubscription
from tests.notifications.factories import make_subscription, notify, receiver, smtp_server
from tests.parks.factories import make_park
from tests.users.factories import make_user

SECRET = "s3cret-for-signing"


@pytest.fixture
def park(session):
    return make_park(session)


@pytest.fixture
def manager(session, park):
    return make_user(session, role="park_manager", park=park, email="li.si@example.com")


def _subscribe(session, park, manager, url, **fields) -> WebhookSubscription:
    return make_subscription(session, park, manager, url=url, secret=SECRET, **fields)


def _deliveries(session, subscription) -> list[OutboxDelivery]:
    query = select(OutboxDelivery).where(OutboxDelivery.subscription_id == subscription.id)
    return list(session.exec(query.execution_options(populate_existing=True)))


def test_backoff_doubles_from_thirty_seconds_up_to_six_hours():
    assert [jobs.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert jobs.backoff(20) == timedelta(hours=6)


def test_email_in_chinese_arrives_through_smtp(app, session, manager, monkeypatch):
    with smtp_server() as (port, inbox):
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", port)
        monkeypatch.setitem(app.config, "SMTP_FROM", "园区安全平台 <noreply@example.com>")
        notify(session, recipient=manager, title="隐患整改逾期提醒", body="企业甲的隐患 YH-2026-000001 已逾期。")

        assert jobs.deliver_outbox(session=session) == "deliveries: 1 sent"

    (envelope,) = inbox.messages
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert envelope.rcpt_tos == ["li.si@example.com"]
    assert message["Subject"] == "隐患整改逾期提醒"
    assert message.get_content().strip() == "企业甲的隐患 YH-2026-000001 已逾期。"


def test_unreachable_smtp_server_is_a_failure_retried_later(app, session, manager, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", 9)  # discard: nothing listens
    notify(session, recipient=manager)
    assert jobs.deliver_outbox(session=session) == "deliveries: 1 failed"
    assert jobs.deliver_outbox(session=session) == "deliveries: none due"


def test_webhook_is_signed_with_secret_and_timestamp(session, park, manager):
    with receiver(SECRET) as hook:
        subscription = _subscribe(session, park, manager, hook.url)
        notify(session, recipient=manager, title="检查提醒", body="请按时完成自查自纠。", payload={"no": "YH-1"})

        jobs.deliver_outbox(session=session)

    (hit,) = hook.hits
    (delivery,) = _deliveries(session, subscription)
    assert hit["valid"] is True
    assert hit["delivery"] == str(delivery.id)
    assert (hit["json"]["title"], hit["json"]["payload"]) == ("检查提醒", {"no": "YH-1"})
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("sent", 1, 200)


def test_wrong_secret_fails_the_receivers_check(session, park, manager):
    with receiver("another-secret") as hook:
        _subscribe(session, park, manager, hook.url)
        notify(session, recipient=manager)
        jobs.deliver_outbox(session=session)
    assert [hit["valid"] for hit in hook.hits] == [False]


def test_failing_receiver_is_retried_with_backoff_and_delivered_once(session, park, manager):
    with receiver(SECRET, statuses=[500, 503]) as hook, time_machine.travel(utcnow(), tick=False) as clock:
        subscription = _subscribe(session, park, manager, hook.url)
        notify(session, recipient=manager)

        assert jobs.deliver_outbox(session=session) == "deliveries: 1 failed"
        (delivery,) = _deliveries(session, subscription)
        assert (delivery.attempts, delivery.last_status_code) == (1, 500)
        assert delivery.next_attempt_at == utcnow() + timedelta(seconds=30)
        assert jobs.deliver_outbox(session=session) == "deliveries: none due"

        clock.shift(timedelta(seconds=31))
        assert jobs.deliver_outbox(session=session) == "deliveries: 1 failed"
        clock.shift(timedelta(seconds=59))
        assert jobs.deliver_outbox(session=session) == "deliveries: none due"
        clock.shift(timedelta(seconds=2))
        assert jobs.deliver_outbox(session=session) == "deliveries: 1 sent"
        clock.shift(timedelta(hours=7))
        assert jobs.deliver_outbox(session=session) == "deliveries: none due"

    assert [hit["valid"] for hit in hook.hits] == [True, True, True]
    assert len({hit["delivery"] for hit in hook.hits}) == 1
    (delivery,) = _deliveries(session, subscription)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, None)


def test_delivery_is_dead_after_eight_failures(session, park, manager):
    with receiver(SECRET, statuses=[500] * 10) as hook, time_machine.travel(utcnow(), tick=False) as clock:
        subscription = _subscribe(session, park, manager, hook.url)
        notify(session, recipient=manager)
        for _ in range(10):
            jobs.deliver_outbox(session=session)
            clock.shift(timedelta(hours=7))
    assert len(hook.hits) == jobs.MAX_ATTEMPTS
    assert _deliveries(session, subscription)[0].status == "dead"


def test_hanging_receiver_times_out_and_the_sweep_goes_on(app, session, park, manager, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_TIMEOUT_SECONDS", 1)
    with receiver(SECRET, hang=True) as stuck, receiver(SECRET) as healthy:
        stuck_subscription = _subscribe(session, park, manager, stuck.url)
        healthy_subscription = _subscribe(session, park, manager, healthy.url)
        notify(session, recipient=manager)

        started = time.monotonic()
        summary = jobs.deliver_outbox(session=session)
        elapsed = time.monotonic() - started

    assert elapsed < 3
    assert summary == "deliveries: 1 failed, 1 sent"
    (failed,) = _deliveries(session, stuck_subscription)
    assert failed.status == "failed" and "timed out" in failed.last_error
    assert _deliveries(session, healthy_subscription)[0].status == "sent"


def test_disabled_subscription_receives_nothing(session, park, manager):
    with receiver(SECRET) as hook:
        subscription = _subscribe(session, park, manager, hook.url)
        notify(session, recipient=manager)
        notification_service.update_subscription(
            session=session,
            actor=actor_for(manager, park, None),
            subscription_id=subscription.id,
            version=subscription.version,
            changes={"disabled": True},
        )
        notify(session, recipient=manager)  # a new notification after the switch-off

        assert jobs.deliver_outbox(session=session) == "deliveries: none due"

    assert hook.hits == []
    assert [d.status for d in _deliveries(session, subscription)] == ["cancelled"]


def test_subscription_disabled_behind_the_services_back_is_cancelled_by_the_sweep(session, park, manager):
    with receiver(SECRET) as hook:
        subscription = _subscribe(session, park, manager, hook.url)
        notify(session, recipient=manager)
        subscription.disabled = True
        session.add(subscription)
        session.flush()

        assert jobs.deliver_outbox(session=session) == "deliveries: 1 cancelled"
    assert hook.hits == []


def test_two_concurrent_sweeps_never_send_a_delivery_twice(live_app):
    count = 12
    with receiver(SECRET, delay=0.05) as hook:
        with live_app.app_context(), db.session_scope() as session:
            park = make_park(session)
            manager = make_user(session, role="park_manager", park=park)
            make_subscription(session, park, manager, url=hook.url, secret=SECRET)
            for _ in range(count):
                notify(session, recipient=manager)
        start = threading.Barrier(2)

        def sweep():
            start.wait(5)
            scheduler.run_job(live_app, "notifications.deliver_outbox")

        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)

    delivered = [hit["delivery"] for hit in hook.hits]
    assert len(delivered) == count
    assert len(set(delivered)) == count
    assert all(hit["valid"] for hit in hook.hits)
