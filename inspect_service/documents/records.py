"""Documents drawn from records: the on-site inspection record, the major-hazard remediation plan, and the
enterprise's quarterly / annual statistics table."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from inspect_service.auth.actor import Actor, require_role
from inspect_service.checklists.models import CheckItem
from inspect_service.documents import service
from inspect_service.documents.models import Document
from inspect_service.documents.notices import signers
from inspect_service.documents.pdf.views import (
    InspectionRecordView,
    LevelCount,
    MajorLine,
    RecordLine,
    RemediationPlanView,
    Signer,
    StatisticsView,
)  # fmt: skip
from inspect_service.enterprises import service as enterprise_service
from inspect_service.errors import NotFound, Unprocessable
from inspect_service.hazards import lifecycle
from inspect_service.hazards import service as hazard_service
from inspect_service.hazards.export import STATUS_NAMES
from inspect_service.hazards.models import Hazard
from inspect_service.inspections.models import Inspection, InspectionResult
from inspect_service.parks.models import Park

METHOD_NAMES = {
    "briefing": "听汇报", "document_review": "查资料", "site_walk": "看现场", "overt": "明察", "covert": "暗访",
    "night_visit": "突击夜访", "targeted_spot_check": "重点抽查", "look_back": "回头检查",
}  # fmt: skip
SOURCE_NAMES = {
    "self_check": "企业自查", "park_inspection": "园区检查", "enforcement": "执法检查", "third_party": "第三方检查",
    "public_report": "举报核查", "covert_supervision": "督查暗访",
}  # fmt: skip
_invalid = Unprocessable.field


def _local_minute(moment: datetime | None, tz: str) -> str:
    return moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None).isoformat(timespec="minutes") if moment else ""


def _draft(session, actor, park, enterprise, doc_type, issuer_name, build, subject_id, supersedes_id, **kw):
    old = service.check_supersedable(
        session, actor=actor, document_id=supersedes_id, doc_type=doc_type, enterprise_id=enterprise.id
    )
    return service.Draft(
        park=park, enterprise=enterprise, doc_type=doc_type, variant="", issuer_name=issuer_name, build=build,
        subject_id=subject_id, supersedes=old, **kw,
    )  # fmt: skip


def _record_lines(session: Session, inspection: Inspection) -> tuple[tuple, tuple]:
    """(findings, passed) lines from the inspection's results and the hazards it raised."""
    results = session.exec(select(InspectionResult).where(InspectionResult.inspection_id == inspection.id)).all()
    items = {
        i.id: i for i in session.exec(select(CheckItem).where(CheckItem.id.in_([r.check_item_id for r in results])))
    }
    hazards = {h.id: h for h in session.exec(select(Hazard).where(Hazard.inspection_id == inspection.id))}
    findings, passed = [], []
    for r in sorted(results, key=lambda r: (items[r.check_item_id].code if r.check_item_id in items else "", r.id)):
        item = items.get(r.check_item_id)
        text = f"{item.code} {item.text}" if item else ""
        if r.result == "fail":
            hazard = hazards.pop(r.hazard_id, None) if r.hazard_id else None
            findings.append(RecordLine(item=text, finding=hazard.description if hazard else r.note,
                                       hazard_no=hazard.hazard_no if hazard else ""))  # fmt: skip
        elif r.result == "pass":
            passed.append(RecordLine(item=text, finding=r.note or "符合要求"))
    for hazard in sorted(hazards.values(), key=lambda h: h.hazard_no):  # hazards raised outside the checklist
        findings.append(RecordLine(item=hazard.location_text, finding=hazard.description, hazard_no=hazard.hazard_no))
    return tuple(findings), tuple(passed)


def issue_inspection_record(*, session: Session, actor: Actor, body: dict) -> Document:
    """现场检查记录 of a finished inspection: times to the minute, findings, passed items, signatures."""
    require_role(actor, "inspector", "park_manager")
    query = enterprise_service.scope(
        select(Inspection), actor, park_col=Inspection.park_id, enterprise_col=Inspection.enterprise_id
    )
    inspection = session.exec(query.where(Inspection.id == body["inspection_id"])).first()
    if inspection is None:
        raise NotFound("No such inspection.")
    enterprise_service.require_writable(session=session, actor=actor, enterprise_id=inspection.enterprise_id)
    if inspection.ended_at is None:
        raise _invalid("inspection_id", "Finish the inspection (its end time) before the record is issued.")
    park = session.get(Park, inspection.park_id)
    enterprise = enterprise_service.get(session=session, actor=actor, enterprise_id=inspection.enterprise_id)
    findings, passed = _record_lines(session, inspection)
    inspector_ids = [uuid.UUID(str(i)) for i in inspection.inspector_ids]

    def build(header):
        return InspectionRecordView(
            header=header, place=inspection.place, started_at=_local_minute(inspection.started_at, park.timezone),
            ended_at=_local_minute(inspection.ended_at, park.timezone),
            methods=tuple(METHOD_NAMES.get(m, m) for m in inspection.methods), findings=findings, passed=passed,
            inspectors=signers(session, inspector_ids),
            site_rep=Signer(name=inspection.site_rep_name, role=inspection.site_rep_role),
            site_rep_refused=inspection.site_rep_refused, witness=inspection.witness_name, note=inspection.note,
        )  # fmt: skip

    issuer = (park.settings or {}).get("issuer_name") or park.name
    draft = _draft(session, actor, park, enterprise, "inspection_record", issuer, build, inspection.id,
                   body.get("supersedes_id"))  # fmt: skip
    return service.issue(session, actor=actor, draft=draft)


def issue_remediation_plan(*, session: Session, actor: Actor, body: dict) -> Document:
    """重大事故隐患治理方案 from the plan submitted on a major hazard, for the principal's signature."""
    require_role(actor, "enterprise_principal", "park_manager")
    hazard = hazard_service.get(session=session, actor=actor, hazard_id=body["hazard_id"])
    plan = (hazard.details or {}).get("remediation_plan")
    if hazard.level != "major" or not plan:
        raise _invalid("hazard_id", "A major hazard with a submitted remediation plan.")
    park = session.get(Park, hazard.park_id)
    enterprise = enterprise_service.get(session=session, actor=actor, enterprise_id=hazard.enterprise_id)

    def build(header):
        return RemediationPlanView(
            header=header, hazard_no=hazard.hazard_no, description=hazard.description,
            location=hazard.location_text, criterion=hazard.major_criterion_ref or "",
            parts={k: str(v) for k, v in plan.items() if k != "note"}, principal=enterprise.principal_name,
        )  # fmt: skip

    draft = _draft(session, actor, park, enterprise, "remediation_plan", enterprise.name, build, hazard.id,
                   body.get("supersedes_id"), hazard_ids=[hazard.id])  # fmt: skip
    return service.issue(session, actor=actor, draft=draft)


def period_of(year: int, quarter: int | None) -> tuple[date, date, date]:
    """(first day, last day, filing deadline): the 15th after a quarter, 31 January after a year."""
    if quarter is None:
        return date(year, 1, 1), date(year, 12, 31), date(year + 1, 1, 31)
    first = date(year, 3 * quarter - 2, 1)
    nxt = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, nxt - timedelta(days=1), nxt.replace(day=15)


def statistics(session: Session, *, enterprise_id, tz: str, first: date, last: date) -> dict:
    """The table's figures from the ledger: checks by source; found, rectified, overdue by level; majors; funds."""
    zone = ZoneInfo(tz)
    start = datetime.combine(first, time.min, zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, zone).astimezone(UTC)
    checks: dict[str, int] = {}
    for source in session.exec(
        select(Inspection.source).where(
            Inspection.enterprise_id == enterprise_id, Inspection.started_at >= start, Inspection.started_at < end
        )
    ):
        checks[source] = checks.get(source, 0) + 1
    found_at = func.coalesce(Hazard.found_at, Hazard.created_at)  # as the bulletins count: device time first
    hazards = session.exec(
        select(Hazard).where(
            Hazard.enterprise_id == enterprise_id, found_at >= start, found_at < end, Hazard.status != "voided",
        ).order_by(Hazard.hazard_no)
    ).all()  # fmt: skip
    levels = {}
    chased = (*lifecycle.CLOCK_RUNNING, "closed")  # as reports.metrics.overdue_clause
    for level in ("general", "major"):
        found = [h for h in hazards if h.level == level]
        rectified = {h.id for h in found if h.status == "closed" and h.closed_at is not None and h.closed_at < end}
        overdue = [
            h for h in found
            if h.id not in rectified and h.status in chased and h.deadline is not None and h.deadline < last
        ]  # fmt: skip
        levels[level] = (len(found), len(rectified), len(overdue))
    levels["total"] = tuple(sum(v[i] for v in levels.values()) for i in range(3))
    funds = sum((h.funds or Decimal(0) for h in hazards), Decimal(0))
    majors = [h for h in hazards if h.level == "major"]
    return {"checks": checks, "levels": levels, "majors": majors, "funds": funds}


def issue_statistics(*, session: Session, actor: Actor, body: dict) -> Document:
    """The enterprise's quarterly or annual statistics table, locked once issued (Order 16)."""
    require_role(actor, "enterprise_principal")
    enterprise = enterprise_service.get(session=session, actor=actor, enterprise_id=actor.enterprise_id)
    park = session.get(Park, enterprise.park_id)
    first, last, due = period_of(body["year"], body.get("quarter"))
    if last >= hazard_service.today_in(park):
        raise _invalid("year", "The period has not ended yet.")
    figures = statistics(session, enterprise_id=enterprise.id, tz=park.timezone, first=first, last=last)

    def build(header):
        return StatisticsView(
            header=header, year=body["year"], quarter=body.get("quarter"), due_date=due.isoformat(),
            checks=tuple((SOURCE_NAMES.get(k, k), n) for k, n in sorted(figures["checks"].items())),
            levels=tuple(LevelCount(level, *counts) for level, counts in figures["levels"].items()),
            majors=tuple(MajorLine(h.hazard_no, h.description, STATUS_NAMES.get(h.status, h.status), h.is_listed)
                         for h in figures["majors"]),
            funds=f"{figures['funds']:.2f}", principal=enterprise.principal_name,
        )  # fmt: skip

    period = uuid.uuid5(enterprise.id, f"statistics:{body['year']}:{body.get('quarter') or 'year'}")  # the subject
    draft = _draft(session, actor, park, enterprise, "statistics", enterprise.name, build, period,
                   body.get("supersedes_id"))  # fmt: skip
    return service.issue(session, actor=actor, draft=draft)
