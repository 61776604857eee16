"""Documents drawn from records: inspection record, remediation plan, statistics table (figures from the ledger)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from inspect_service.documents import records
from inspect_service.inspections.models import InspectionResult
from tests.checklists.factories import make_check_item
from tests.documents.pdftext import flat
from tests.hazards.factories import make_hazard
from tests.inspections.factories import make_inspection


def _pdf(client, world, document_id, caller):
    return flat(client.get(f"/api/documents/{document_id}/pdf", headers=world.headers[caller]).data)


def _item(session, park, code, text):
    return make_check_item(session, park, code=code, text=text)


def test_inspection_record_prints_minutes_findings_passed_items_and_signers(client, session, world):
    inspector = world.user("inspector")
    started = datetime(2026, 11, 20, 1, 5, tzinfo=UTC)  # 09:05 in Asia/Shanghai
    inspection = make_inspection(
        session, world.own, inspector, started_at=started, ended_at=started + timedelta(hours=2, minutes=35),
        place="危化品仓库", site_rep_name="孙立新", site_rep_role="安全主管", methods=["site_walk"],
    )  # fmt: skip
    failed, passed = (
        _item(session, world.park, "ZZ01", "安全出口畅通"),
        _item(session, world.park, "ZZ02", "灭火器有效"),
    )
    hazard = make_hazard(session, world.own, inspector, inspection_id=inspection.id)
    for item, result, hazard_id in ((failed, "fail", hazard.id), (passed, "pass", None)):
        session.add(InspectionResult(inspection_id=inspection.id, park_id=world.park.id, enterprise_id=world.own.id,
                                     check_item_id=item.id, result=result, hazard_id=hazard_id,
                                     created_by=inspector.id, payload_hash="x"))  # fmt: skip
    session.commit()
    response = client.post("/api/documents/inspection-records", json={"inspection_id": str(inspection.id)},
                           headers=world.headers["inspector"])  # fmt: skip
    assert response.status_code == 201, response.json
    text = _pdf(client, world, response.json["id"], "inspector")
    assert "现场检查记录" in text and response.json["number"] in text and "检记" in response.json["number"]
    assert "2026年11月20日9时05分至2026年11月20日11时40分" in text and "看现场" in text
    findings, passed_part = text.split("以下检查项存在隐患：")[1].split("以下检查项符合要求：")
    assert "ZZ01安全出口畅通" in findings and hazard.hazard_no in findings and "测试隐患" in findings
    assert "ZZ02灭火器有效" in passed_part and "ZZ01" not in passed_part
    assert "现场负责人：孙立新安全主管" in text and world.own.name in text


def test_an_unfinished_inspection_has_no_record_yet(client, session, world):
    inspection = make_inspection(session, world.own, world.user("inspector"))
    session.commit()
    response = client.post("/api/documents/inspection-records", json={"inspection_id": str(inspection.id)},
                           headers=world.headers["inspector"])  # fmt: skip
    assert response.status_code == 422


PLAN = {"objectives": "消除隐患", "methods": "更换切断阀", "funds_materials": "45万元", "organisation": "治理小组",
        "time_limit": "2027-03-31", "safety_measures": "停用储罐"}  # fmt: skip


def test_principal_issues_the_remediation_plan_of_a_major_hazard(client, session, world):
    hazard = make_hazard(session, world.own, world.user("inspector"), level="major",
                         details={"major_report": {"situation": "x"}, "remediation_plan": PLAN})  # fmt: skip
    general = make_hazard(session, world.own, world.user("inspector"))
    session.commit()
    headers = world.headers["enterprise_principal"]
    refused = client.post("/api/documents/remediation-plans", json={"hazard_id": str(general.id)}, headers=headers)
    assert refused.status_code == 422
    response = client.post("/api/documents/remediation-plans", json={"hazard_id": str(hazard.id)}, headers=headers)
    assert response.status_code == 201, response.json
    text = _pdf(client, world, response.json["id"], "enterprise_principal")
    assert "重大事故隐患治理方案" in text and hazard.hazard_no in text and "更换切断阀" in text
    assert "五、治理的时限和要求2027年3月31日" in text


def _seed_quarter(session, world):
    """Q3 2026 in the ledger: 3 general (2 closed, 1 overdue), 1 major open; plus rows outside the period."""
    user = world.user("inspector")
    inside = datetime(2026, 8, 10, 4, 0, tzinfo=UTC)
    rows = [
        dict(status="closed", closed_at=inside + timedelta(days=3), funds=Decimal("100.50")),
        dict(status="closed", closed_at=inside + timedelta(days=5), funds=Decimal("1100.00")),
        dict(status="rectifying", deadline_override=date(2026, 9, 1)),
        dict(status="rectifying", level="major", deadline_override=date(2026, 12, 31), is_listed=True),
        dict(status="voided"),  # never counted
    ]
    made = []
    for row in rows:
        deadline = row.pop("deadline_override", None)
        hazard = make_hazard(session, world.own, user, **row)
        hazard.created_at = inside
        hazard.deadline = deadline or hazard.deadline
        made.append(hazard)
    outside = make_hazard(session, world.own, user)
    outside.created_at = datetime(2026, 6, 30, 15, 59, tzinfo=UTC)  # 23:59 on 30 June in Shanghai: Q2
    edge = make_hazard(session, world.own, user)
    edge.created_at = datetime(2026, 6, 30, 16, 1, tzinfo=UTC)  # 00:01 on 1 July in Shanghai: Q3
    edge.status = "registered"
    edge.deadline = date(2026, 12, 1)
    other = make_hazard(session, world.other, user)
    other.created_at = inside
    for hazard in [*made, outside, edge, other]:
        session.add(hazard)
    make_inspection(session, world.own, user, started_at=inside, source="park_inspection")
    make_inspection(session, world.own, user, started_at=inside, source="self_check")
    make_inspection(session, world.own, user, started_at=inside + timedelta(days=1), source="self_check")
    session.commit()
    return made


def test_statistics_are_computed_from_the_ledger_within_the_period(session, world):
    _seed_quarter(session, world)
    figures = records.statistics(session, enterprise_id=world.own.id, tz="Asia/Shanghai",
                                 first=date(2026, 7, 1), last=date(2026, 9, 30))  # fmt: skip
    assert figures["checks"] == {"park_inspection": 1, "self_check": 2}
    assert figures["levels"] == {"general": (4, 2, 1), "major": (1, 0, 0), "total": (5, 2, 1)}
    assert figures["funds"] == Decimal("1200.50")
    assert [h.level for h in figures["majors"]] == ["major"]


@pytest.mark.parametrize(("year", "quarter", "expected"), [
    (2026, 1, (date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 15))),
    (2026, 4, (date(2026, 10, 1), date(2026, 12, 31), date(2027, 1, 15))),
    (2026, None, (date(2026, 1, 1), date(2026, 12, 31), date(2027, 1, 31))),
])  # fmt: skip
def test_periods_and_filing_deadlines_follow_order_16(year, quarter, expected):
    assert records.period_of(year, quarter) == expected


def test_principal_issues_the_quarterly_table_and_others_may_not(client, session, world):
    _seed_quarter(session, world)
    body = {"year": 2026, "quarter": 3}
    officer = client.post("/api/documents/statistics", json=body, headers=world.headers["enterprise_safety_officer"])
    assert officer.status_code == 403
    response = client.post("/api/documents/statistics", json=body, headers=world.headers["enterprise_principal"])
    assert response.status_code == 201, response.json
    text = _pdf(client, world, response.json["id"], "enterprise_principal")
    assert "事故隐患排查治理情况统计表" in text and "2026年第3季度" in text and "2026年10月15日" in text
    assert "一般隐患42" in text and "50.0%" in text and "1200.50" in text and "园区检查1" in text
    future = client.post("/api/documents/statistics", json={"year": 2100, "quarter": 1},
                         headers=world.headers["enterprise_principal"])  # fmt: skip
    assert future.status_code == 422


def test_statistics_count_like_the_bulletins_found_on_the_device_and_overdue_only_while_chased(session, world):
    inspector = world.user("inspector")
    late_sync = make_hazard(session, world.own, inspector, deadline_days=400)
    late_sync.found_at = datetime.fromisoformat("2026-09-30T22:00:00+08:00")  # found in Q3 …
    late_sync.created_at = datetime.fromisoformat("2026-10-01T09:00:00+08:00")  # … synced in Q4
    replied = make_hazard(session, world.own, inspector, status="reply_submitted")
    replied.found_at = datetime.fromisoformat("2026-08-01T10:00:00+08:00")
    replied.deadline = date(2026, 8, 15)  # past, but the enterprise has replied: the clock is stopped
    session.commit()
    figures = records.statistics(session, enterprise_id=world.own.id, tz="Asia/Shanghai",
                                 first=date(2026, 7, 1), last=date(2026, 9, 30))  # fmt: skip
    assert figures["levels"]["general"] == (2, 0, 0)
    after = records.statistics(session, enterprise_id=world.own.id, tz="Asia/Shanghai",
                               first=date(2026, 10, 1), last=date(2026, 12, 31))  # fmt: skip
    assert after["levels"]["general"][0] == 0
