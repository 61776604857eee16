"""Enterprises: class, risk colour, liaison officer, open and overdue hazards, last inspection, self-check report."""

from flask import render_template, request
from sqlalchemy import func
from sqlmodel import select

from inspect_service.enterprises import service as enterprise_service
from inspect_service.enterprises.schemas import EnterpriseListArgsSchema
from inspect_service.extensions import db
from inspect_service.hazards import service as hazard_service
from inspect_service.inspections import service as inspection_service
from inspect_service.inspections.models import Inspection
from inspect_service.reports import metrics
from inspect_service.selfchecks import overview as selfcheck_overview
from inspect_service.selfchecks import service as selfcheck_service
from inspect_service.web import forms
from inspect_service.web.blueprint import bp
from inspect_service.web.session import signed_in

PER_PAGE = 50
STATUS_PAGES = 5  # pages of 200 read from the self-check overview for one page of enterprises
SELF_CHECK = {"none": "未提交", "draft": "草稿", "submitted": "已提交待签字", "returned": "已退回",
              "signed_off": "已签字"}  # fmt: skip
TIMELINESS = {"missing": "逾期未报", "late": "迟报", "on_time": "按时", "not_due": "未到期"}


@bp.get("/enterprises")
@signed_in
def enterprises(actor):
    """The visible enterprises, by name, with the figures a desk inspector checks first."""
    filters, _own = forms.query_args(EnterpriseListArgsSchema(), request.args)
    filters["limit"] = PER_PAGE
    page = enterprise_service.list_enterprises(session=db.session, actor=actor, **filters)
    ids = [e.id for e in page.items]
    period = selfcheck_overview.default_period(db.session, actor)
    return render_template(
        "console/enterprises.html", rows=page.items, next_cursor=page.next_cursor, filters=request.args,
        counts=hazard_service.counts_by_enterprise(session=db.session, actor=actor, enterprise_ids=ids),
        liaisons=_liaisons(ids), inspected=_last_inspections(actor, ids), period=period,
        self_checks=_self_checks(actor, set(ids), period), self_check_names=SELF_CHECK, timeliness=TIMELINESS,
    )  # fmt: skip


def _liaisons(ids: list) -> dict:
    """Each enterprise's liaison officer, as the reports name them."""
    if not ids:
        return {}
    names = metrics.liaison_names()
    query = select(names.c.enterprise_id, names.c.name).where(names.c.enterprise_id.in_(ids))
    return dict(db.session.exec(query).all())


def _last_inspections(actor, ids: list) -> dict:
    """When each enterprise was last inspected, among the inspections the actor sees."""
    if not ids:
        return {}
    query = inspection_service.visible(select(Inspection.enterprise_id, func.max(Inspection.started_at)), actor)
    query = query.where(Inspection.enterprise_id.in_(ids)).group_by(Inspection.enterprise_id)
    return dict(db.session.exec(query).all())


def _self_checks(actor, ids: set, period) -> dict:
    """The month's self-check report status per enterprise: the park staff's overview, or the enterprise's own."""
    found: dict = {}
    if not ids:
        return found
    if actor.role in selfcheck_overview.STAFF:
        cursor = None
        for _ in range(STATUS_PAGES):
            page = selfcheck_overview.list_status(session=db.session, actor=actor, limit=200, cursor=cursor,
                                                  period=period)  # fmt: skip
            found.update({row["enterprise_id"]: row for row in page.items if row["enterprise_id"] in ids})
            cursor = page.next_cursor
            if ids <= found.keys() or not cursor:
                break
        return found
    reports = selfcheck_service.list_reports(session=db.session, actor=actor, limit=len(ids) + 5, period=period)
    return {r["enterprise_id"]: r for r in reports.items if r["enterprise_id"] in ids}
