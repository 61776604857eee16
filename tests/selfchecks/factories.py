"""Self-check report factories, matrix targets and request bodies."""

from datetime import date
from types import SimpleNamespace

from inspect_service.common.time import local_date, utcnow
from inspect_service.selfchecks import figures
from inspect_service.selfchecks.models import SelfCheckReport


def this_month(tz: str = "Asia/Shanghai") -> date:
    """The current month (its first day) in `tz`."""
    return figures.period_of(local_date(utcnow(), tz))


def make_report(session, enterprise, author, *, period: date, status: str = "draft", **fields) -> SelfCheckReport:
    """Insert a report directly in a given state (submitted ones on time), bypassing the rules."""
    now = utcnow()
    submitted = status != "draft"
    report = SelfCheckReport(
        id=figures.report_id(enterprise.id, period),
        park_id=enterprise.park_id,
        enterprise_id=enterprise.id,
        period=period,
        due_date=figures.due_date(period, {}),
        status=status,
        figures={},
        checks_summary=fields.pop("checks_summary", "本月开展全面自查两次。"),
        figures_at=now,
        first_submitted_at=now if submitted else None,
        submitted_at=now if submitted else None,
        created_by=author.id,
        created_at=now,
        updated_at=now,
        **fields,
    )
    session.add(report)
    session.flush()
    return report


def matrix_targets(session, world) -> SimpleNamespace:
    """A draft (three months ago) and a submitted report (two months ago) of each of the world's enterprises."""
    month = this_month()
    targets = SimpleNamespace(draft={}, submitted={})
    for name in ("own", "other", "foreign"):
        enterprise = getattr(world, name)
        author = world.user("foreign_officer" if name == "foreign" else "enterprise_safety_officer")
        targets.draft[name] = make_report(session, enterprise, author, period=figures.add_months(month, -3))
        targets.submitted[name] = make_report(
            session, enterprise, author, period=figures.add_months(month, -2), status="submitted"
        )
    session.commit()
    return targets


def pick(state: str):
    """Pick the own, other or foreign report in `state` (matrix targets)."""
    return lambda world, _caller, name: getattr(world.self_check_reports, state)[name]


def new_report(_world, _session, _target) -> dict:
    """Last month's report of the caller's enterprise, with its narrative."""
    month = figures.add_months(this_month(), -1)
    return {"period": figures.format_period(month), "checks_summary": "本月开展综合检查一次、专项检查两次。"}


def edit_report(_world, _session, _target) -> dict:
    """A new rectification summary."""
    return {"rectification_summary": "已整改隐患全部完成复查。"}


def submit_report(_world, _session, _target) -> dict:
    """Submit: no fields of its own."""
    return {}


def sign_off_report(_world, _session, _target) -> dict:
    """The principal's sign-off with a comment."""
    return {"comment": "同意上报。"}


def return_report(_world, _session, _target) -> dict:
    """The principal's reason to return the report."""
    return {"reason": "未整改隐患的管控措施写得不具体。"}
