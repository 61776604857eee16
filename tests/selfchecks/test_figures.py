"""A report's figures equal an independent count over the hazard ledger, months counted in the park's zone."""

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from inspect_service.hazards.service import FIVE_POINTS
from inspect_service.selfchecks import figures
from tests.hazards.factories import make_hazard
from tests.inspections.factories import make_inspection
from tests.users.factories import bearer, login_tokens

MARCH = date(2027, 3, 1)
TZ = "Asia/Shanghai"
STATUSES = ("registered", "rectifying", "reply_submitted", "escalated", "closed", "closed", "voided")
FIRST, LAST = datetime(2027, 1, 20, tzinfo=UTC), datetime(2027, 5, 10, tzinfo=UTC)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _hazard(session, enterprise, user, *, found, closed=None, status=None, level="general", blank=(), found_at=True):
    hazard = make_hazard(
        session, enterprise, user, status=status or ("closed" if closed else "rectifying"), level=level
    )
    hazard.created_at = found + timedelta(minutes=5)  # received a little after it was found
    hazard.found_at = found if found_at else None
    hazard.closed_at = closed
    hazard.responsible_person, hazard.measures, hazard.funds = "张三", "清理通道", Decimal("500.00")
    hazard.contingency_plan = "专人值守"
    for name in blank:
        setattr(hazard, name, None if name in ("funds", "deadline") else "")
    session.add(hazard)
    return hazard


def _random_ledger(session, enterprise, user, rng: random.Random, count: int) -> list:
    span = (LAST - FIRST).total_seconds()
    hazards = []
    for _ in range(count):
        found = FIRST + timedelta(seconds=rng.uniform(0, span))
        status = rng.choice(STATUSES)
        closed = found + timedelta(hours=rng.uniform(1, 24 * 40)) if status == "closed" else None
        blank = [name for name in FIVE_POINTS if rng.random() < 0.2]
        hazards.append(
            _hazard(
                session, enterprise, user, found=found, closed=closed, status=status,
                level=rng.choice(("general", "general", "major")), blank=blank, found_at=rng.random() < 0.8,
            )
        )  # fmt: skip
    return hazards


def _boundary_ledger(session, enterprise, user) -> list:
    """Hazards on the edges of March in Shanghai (UTC+8): the UTC date alone would count them wrongly."""
    return [
        _hazard(session, enterprise, user, found=_at("2027-02-28T16:30:00+00:00")),  # 1 Mar 00:30 local: March
        _hazard(session, enterprise, user, found=_at("2027-03-31T16:00:00+00:00")),  # 1 Apr 00:00 local: April
        _hazard(  # found in February, closed on 31 Mar 23:59:59 local: rectified in March
            session, enterprise, user, found=_at("2027-02-10T02:00:00+00:00"), closed=_at("2027-03-31T15:59:59+00:00")
        ),
        _hazard(  # found in March, closed on 1 Apr 00:00 local: open at the end of March
            session, enterprise, user, found=_at("2027-03-05T02:00:00+00:00"), closed=_at("2027-03-31T16:00:00+00:00"),
            level="major", blank=("funds", "contingency_plan"),
        ),
        _hazard(session, enterprise, user, found=_at("2027-03-06T02:00:00+00:00"), status="voided"),
    ]  # fmt: skip


def _expected(hazards, enterprise_id, period: date) -> dict:
    """The figures counted one hazard at a time, in Python, with each moment's local month."""
    zone = ZoneInfo(TZ)

    def month(moment):
        return moment.astimezone(zone).date().replace(day=1)

    counts = {kind: Counter() for kind in ("found", "rectified", "open")}
    five = {"open": 0, "complete": 0, "missing": Counter()}
    for hazard in hazards:
        if hazard.enterprise_id != enterprise_id or hazard.status == "voided":
            continue
        found = month(hazard.found_at or hazard.created_at)
        closed = month(hazard.closed_at) if hazard.closed_at else None
        counts["found"][hazard.level] += found == period
        counts["rectified"][hazard.level] += closed == period
        if found <= period and (closed is None or closed > period):
            counts["open"][hazard.level] += 1
            missing = [name for name in FIVE_POINTS if getattr(hazard, name) in (None, "")]
            five["open"] += 1
            five["complete"] += not missing
            five["missing"].update(missing)
    result = {
        kind: {"general": c["general"], "major": c["major"], "total": c["general"] + c["major"]}
        for kind, c in counts.items()
    }
    result["five_points"] = {
        "open": five["open"],
        "complete": five["complete"],
        "incomplete": five["open"] - five["complete"],
        "missing": {name: five["missing"][name] for name in FIVE_POINTS},
    }
    return result


@pytest.fixture
def ledger(session, world):
    user = world.user("inspector")
    hazards = _boundary_ledger(session, world.own, user)
    hazards += _random_ledger(session, world.own, user, random.Random(20270301), 90)
    hazards += _random_ledger(session, world.other, user, random.Random(7), 20)  # another enterprise's ledger
    session.flush()
    return hazards


@pytest.mark.parametrize("period", [date(2027, 2, 1), MARCH, date(2027, 4, 1)], ids=str)
def test_figures_equal_an_independent_count_over_the_ledger(session, world, ledger, period):
    computed = figures.compute(session=session, enterprise_id=world.own.id, period=period, tz_name=TZ)
    expected = _expected(ledger, world.own.id, period)

    assert {key: computed[key] for key in expected} == expected
    assert computed["period"] == figures.format_period(period)
    assert expected["found"]["total"] and expected["rectified"]["total"] and expected["open"]["total"]
    assert expected["five_points"]["incomplete"], "the seeded ledger has incomplete five points"


def test_boundaries_fall_in_the_park_local_month(session, world):
    user = world.user("inspector")
    hazards = _boundary_ledger(session, world.own, user)
    session.flush()
    march = figures.compute(session=session, enterprise_id=world.own.id, period=MARCH, tz_name=TZ)
    assert march["found"] == {"general": 1, "major": 1, "total": 2}  # 1 Mar 00:30 local and 5 Mar; not 1 Apr
    assert march["rectified"] == {"general": 1, "major": 0, "total": 1}
    assert march["open"] == {"general": 1, "major": 1, "total": 2}
    assert march["five_points"]["missing"]["funds"] == 1 and march["five_points"]["complete"] == 1
    utc = figures.compute(session=session, enterprise_id=world.own.id, period=MARCH, tz_name="UTC")
    assert utc != march and hazards


def test_inspections_of_the_month_are_counted(session, world):
    creator = world.user("enterprise_safety_officer")
    make_inspection(session, world.own, creator, source="self_check", started_at=_at("2027-03-31T15:00:00+00:00"))
    make_inspection(session, world.own, creator, started_at=_at("2027-03-02T01:00:00+00:00"))
    make_inspection(session, world.own, creator, started_at=_at("2027-03-31T16:00:00+00:00"))  # April, locally
    make_inspection(session, world.other, creator, started_at=_at("2027-03-02T01:00:00+00:00"))
    march = figures.compute(session=session, enterprise_id=world.own.id, period=MARCH, tz_name=TZ)
    assert march["inspections"] == {"total": 2, "self_check": 1}


def test_created_report_carries_the_ledger_figures(client, session, world, ledger):
    session.commit()
    officer = world.user("enterprise_safety_officer")
    with time_machine.travel("2027-04-03 09:00:00+08:00", tick=False):
        headers = bearer(login_tokens(session, officer).access_token)
        response = client.post("/api/self-check-reports", json={"period": "2027-03"}, headers=headers)
    assert response.status_code == 201, response.json
    expected = _expected(ledger, world.own.id, MARCH)
    assert {key: response.json["figures"][key] for key in expected} == expected


def test_due_date_follows_the_park_setting():
    assert figures.due_date(MARCH, {}) == date(2027, 4, 10)
    assert figures.due_date(MARCH, {"self_check_report_due_day": 5}) == date(2027, 4, 5)
    assert figures.due_date(date(2027, 12, 1), {}) == date(2028, 1, 10)
