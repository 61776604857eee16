"""Bulletin statistics equal the same figures computed independently from the seeded ledger rows."""

from datetime import date

import marshmallow as ma
import pytest
import time_machine

from inspect_service.errors import NotFound, Unprocessable
from inspect_service.reports import metrics
from inspect_service.reports.figures import DEFAULT_WEIGHTS
from tests.reports.expected import Expected
from tests.reports.factories import NOW, TODAY, seed_campaign

WINDOWS = {
    "campaign_to_date": (dict(), date(2026, 6, 20), TODAY),
    "july": (dict(start=date(2026, 7, 1), end=date(2026, 7, 31)), date(2026, 7, 1), date(2026, 7, 31)),
}


def _tallies(tallies) -> dict:
    return {t.key: (t.found, t.rectified, t.denominator) for t in tallies}


def _check(result, expected: Expected, minimum: int = 20) -> None:
    total = expected.tally(expected.hazards)
    assert (result.total.found, result.total.rectified, result.total.denominator) == total
    assert total[0] > minimum, "the seed must give the window enough hazards to mean something"
    assert _tallies(result.by_level) == {"general": (0, 0, 0), "major": (0, 0, 0), **expected.by(lambda h: h.level)}
    assert _tallies(result.by_source) == expected.by(lambda h: h.source)
    assert _tallies(result.by_domain) == expected.by(lambda h: h.domain)
    classes = {e.id: e.enterprise_class for e in expected.seed.enterprises}
    assert _tallies(result.by_class) == expected.by(lambda h: classes[h.enterprise_id])
    assert sorted(item.hazard_no for item in result.overdue) == expected.overdue_numbers()
    for item in result.overdue:
        assert item.days_overdue == (expected.end - item.deadline).days > 0
    m = result.majors
    assert (m.found, m.rectified, m.listed, m.delisted, m.open) == expected.majors()
    assert len(result.major_list) == m.found
    escalations = {k: v for k, v in result.escalations if v}
    assert escalations == expected.by_payload("escalate", "escalation_type")
    assert {k: v for k, v in result.notices if v} == expected.by_payload("issue_notice", "issuer_kind")
    assert dict(result.documents) == expected.documents()
    sc = result.self_checks
    assert (sc.due, sc.on_time, sc.late, sc.missing) == expected.self_checks()
    c = result.coverage
    if expected.domain is None:
        assert (c.enterprises, c.inspected, c.visits) == expected.coverage()
    ranks = {r.enterprise: (r.overdue, r.false_closures, r.open_majors, r.late_replies, r.refusals)
             for r in result.enterprise_ranking}  # fmt: skip
    assert ranks == expected.enterprise_counts()
    keys = ("overdue", "false_closure", "open_major", "late_reply", "refusal")
    for rank in result.enterprise_ranking:
        counts = expected.enterprise_counts()[rank.enterprise]
        assert rank.score == sum(DEFAULT_WEIGHTS[k] * n for k, n in zip(keys, counts, strict=True))
    assert [r.score for r in result.enterprise_ranking] == sorted((r.score for r in result.enterprise_ranking),
                                                                   reverse=True)  # fmt: skip
    officers = {r.user_id: r for r in result.liaison_ranking}
    for officer in expected.seed.liaisons:
        size, inspected, overdue, rechecks, average = expected.liaison(officer)
        rank = officers[officer.id]
        assert (rank.enterprises, rank.inspected, rank.overdue, rank.rechecks) == (size, inspected, overdue, rechecks)
        assert rank.avg_recheck_days == pytest.approx(average, abs=1e-6) if average else rank.avg_recheck_days is None


@pytest.mark.parametrize("denominator", ["all", "due"])
@pytest.mark.parametrize("name", sorted(WINDOWS))
def test_bulletin_figures_equal_an_independent_count(session, denominator, name):
    seed = seed_campaign(session, denominator=denominator)
    kwargs, start, end = WINDOWS[name]
    with time_machine.travel(NOW, tick=False):
        result = metrics.compute(session, seed.park, campaign_id=seed.campaign.id, **kwargs)
    assert (result.window.start, result.window.end, result.window.denominator) == (start, end, denominator)
    _check(result, Expected(seed, start, end, denominator=denominator))


def test_domain_report_counts_only_that_domain(session):
    seed = seed_campaign(session, denominator="due")
    with time_machine.travel(NOW, tick=False):
        result = metrics.compute(session, seed.park, campaign_id=seed.campaign.id, domain="fire")
    assert {t.key for t in result.by_domain} == {"fire"}
    _check(result, Expected(seed, date(2026, 6, 20), TODAY, denominator="due", domain="fire"), minimum=8)


def test_denominators_differ_on_the_same_ledger(session):
    seed = seed_campaign(session, denominator="all")
    everything = metrics.compute(session, seed.park, campaign_id=seed.campaign.id, today=TODAY)
    seed.park.settings = {"rectification_rate_denominator": "due"}
    session.add(seed.park)
    session.flush()
    due = metrics.compute(session, seed.park, campaign_id=seed.campaign.id, today=TODAY)
    assert everything.total.found == due.total.found
    assert due.total.denominator < everything.total.denominator
    assert due.total.rate > everything.total.rate


def test_phase_window_is_the_phase_dates(session):
    seed = seed_campaign(session)
    result = metrics.compute(session, seed.park, phase_id=seed.phases[0].id, today=TODAY)
    assert (result.window.start, result.window.end, result.window.phase_name) == (
        date(2026, 6, 20), date(2026, 7, 10), "第1阶段",
    )  # fmt: skip
    _check_total = Expected(seed, date(2026, 6, 20), date(2026, 7, 10), denominator="all")
    assert result.total.found == len(_check_total.hazards)


def test_another_parks_campaign_is_not_found(session):
    seed = seed_campaign(session)
    with pytest.raises(NotFound):
        metrics.compute(session, seed.foreign_park, campaign_id=seed.campaign.id, today=TODAY)


def test_a_window_needs_dates_in_order(session):
    seed = seed_campaign(session, hazards=1)
    with pytest.raises(Unprocessable):
        metrics.compute(session, seed.park, today=TODAY)
    with pytest.raises(Unprocessable):
        metrics.compute(session, seed.park, start=date(2026, 8, 1), end=date(2026, 7, 1), today=TODAY)


def test_park_ranking_weights_change_scores_and_the_printed_formula(session):
    seed = seed_campaign(session)
    seed.park.settings = {**seed.park.settings, "ranking_weights": {"overdue": 10, "liaison_coverage": 50}}
    session.add(seed.park)
    session.flush()
    result = metrics.compute(session, seed.park, campaign_id=seed.campaign.id, today=TODAY)
    assert "逾期隐患数×10 " in result.enterprise_formula and "虚假销号数×5 " in result.enterprise_formula
    assert "检查覆盖率×50 " in result.liaison_formula
    for rank in result.enterprise_ranking:
        counts = (rank.overdue, rank.false_closures, rank.open_majors, rank.late_replies, rank.refusals)
        assert rank.score == sum(w * n for w, n in zip((10, 5, 5, 2, 2), counts, strict=True))


def test_park_settings_accept_the_report_settings_and_refuse_unknown_weights():
    from inspect_service.parks.schemas import ParkSettingsSchema

    schema = ParkSettingsSchema()
    loaded = schema.load({"rectification_rate_denominator": "due", "ranking_weights": {"overdue": 4}})
    assert loaded == {"rectification_rate_denominator": "due", "ranking_weights": {"overdue": 4}}
    for bad in ({"rectification_rate_denominator": "some"}, {"ranking_weights": {"bogus": 1}},
                {"ranking_weights": {"overdue": "4"}}, {"ranking_weights": {"overdue": 10_000}}):  # fmt: skip
        with pytest.raises(ma.ValidationError):
            schema.load(bad)
