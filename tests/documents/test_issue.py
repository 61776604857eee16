"""Issuing through the API: numbering, hazards served, stored bytes and hash, supersede, void, verify, scope."""

import hashlib
import json
import uuid
from datetime import timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from inspect_service.common import storage
from inspect_service.common.time import utcnow
from inspect_service.documents import service
from inspect_service.documents.models import Document, DocumentEvent
from inspect_service.hazards import service as hazard_service
from inspect_service.hazards.models import Hazard, HazardEvent
from tests.documents.factories import issued_notice, make_inspectors, notice_body
from tests.documents.pdftext import flat
from tests.hazards.factories import actor_of, make_hazard
from tests.users.factories import bearer, login_tokens


def _json(body: dict) -> dict:
    return json.loads(json.dumps(body, default=str))


def _count(session, model, **filters) -> int:
    return len(session.exec(select(model).filter_by(**filters)).all())


def _issue(client, world, body, caller="inspector"):
    return client.post("/api/documents/notices", json=_json(body), headers=world.headers[caller])


@pytest.fixture
def signers(session, world):
    """The world's park-staff inspector and a second one."""
    second = make_inspectors(session, world.park)[0]
    session.commit()
    return [world.user("inspector"), second]


def _hazards(session, world, count=2, description=None):
    made = [make_hazard(session, world.own, world.user("inspector")) for _ in range(count)]
    for hazard in made:
        hazard.description = description or hazard.description
        session.add(hazard)
    session.commit()
    return made


def _pdf(client, world, document_id, caller="inspector"):
    return client.get(f"/api/documents/{document_id}/pdf", headers=world.headers[caller])


def test_issuing_numbers_freezes_renders_stores_and_serves_the_hazards(client, session, world, signers):
    hazards = _hazards(session, world, description="危化品仓库未设置可燃气体报警装置")
    response = _issue(client, world, notice_body(world.own, signers, hazards))
    assert response.status_code == 201, response.json
    doc = response.json
    year = utcnow().year
    assert doc["number"] == f"（{world.park.short_name}）安整〔{year}〕0001号" and doc["status"] == "issued"
    assert doc["title"] == "限期整改意见书" and doc["hazard_ids"] == [str(h.id) for h in hazards]
    for hazard in hazards:
        session.refresh(hazard)
        assert hazard.status == "notice_issued"
    assert _count(session, HazardEvent, hazard_id=hazards[0].id, action="issue_notice") == 1
    assert _count(session, DocumentEvent, action="issue") == 1
    pdf = _pdf(client, world, doc["id"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert hashlib.sha256(pdf.data).hexdigest() == doc["sha256"]
    text = flat(pdf.data)
    assert doc["number"] in text and world.own.name in text and "危化品仓库未设置可燃气体报警装置" in text
    deadline = hazards[0].deadline
    assert f"{deadline.year}年{deadline.month}月{deadline.day}日" in text
    second = _issue(client, world, notice_body(world.own, signers, _hazards(session, world, 1)))
    assert second.json["number"] == f"（{world.park.short_name}）安整〔{year}〕0002号"


def test_a_park_pattern_setting_changes_the_number(client, session, world, signers):
    from inspect_service.parks.models import Park

    park = session.get(Park, world.park.id)
    park.settings = {
        **park.settings,
        "park_abbr": "甬化园",
        "document_number_patterns": {"notice": "{park_short}整{year}-{seq}"},
    }
    session.commit()
    response = _issue(client, world, notice_body(world.own, signers, _hazards(session, world, 1)))
    assert response.json["number"] == f"甬化园整{utcnow().year}-1"


def test_enforcement_orders_need_enforcement_officers_with_certificates_and_remedies(client, session, world, signers):
    hazards = _hazards(session, world, 1)
    by_park_staff = _issue(client, world, notice_body(world.own, signers, hazards, "enforcement"))
    assert by_park_staff.status_code == 422 and "issuer_kind" in by_park_staff.json["errors"]
    officers = [world.user("enforcement_officer"), make_inspectors(session, world.park, "enforcement")[0]]
    session.commit()
    no_court = _issue(client, world, notice_body(world.own, officers, hazards, "enforcement", court=None),
                      "enforcement_officer")  # fmt: skip
    assert no_court.status_code == 422 and "court" in no_court.json["errors"]
    ok = _issue(client, world, notice_body(world.own, officers, hazards, "enforcement"), "enforcement_officer")
    assert ok.status_code == 201 and ok.json["title"] == "责令限期整改指令书"
    assert "应急责改" in ok.json["number"] and ok.json["number"].endswith("0001号")  # its own series
    text = flat(_pdf(client, world, ok.json["id"]).data)
    assert "本指令不停止执行" in text and "ZF-0001" in text


def test_third_party_notice_names_the_commissioning_party(client, session, world, signers):
    hazards = _hazards(session, world, 1)
    missing = _issue(client, world, notice_body(world.own, signers, hazards, "third_party", commissioned_by=None))
    assert missing.status_code == 422 and "commissioned_by" in missing.json["errors"]
    ok = _issue(client, world, notice_body(world.own, signers, hazards, "third_party"))
    assert ok.status_code == 201
    assert "我们受园区安委办委托" in flat(_pdf(client, world, ok.json["id"]).data)


def test_hazards_of_another_enterprise_or_already_served_are_refused(client, session, world, signers):
    own = _hazards(session, world, 1)
    other = make_hazard(session, world.other, world.user("inspector"))
    session.commit()
    mixed = _issue(client, world, {**notice_body(world.own, signers, [*own, other])})
    assert mixed.status_code == 422
    assert _issue(client, world, notice_body(world.own, signers, own)).status_code == 201
    again = _issue(client, world, notice_body(world.own, signers, own))
    assert again.status_code == 409
    assert _count(session, Document) == 1  # the refused issues left no document and used no number


def test_bytes_and_hash_never_change_through_supersede_and_void(client, session, world, signers):
    hazards = _hazards(session, world, 2)
    first = _issue(client, world, notice_body(world.own, signers, hazards)).json
    original = _pdf(client, world, first["id"]).data
    correction = _issue(client, world, notice_body(world.own, signers, hazards, days=20, supersedes_id=first["id"]))
    assert correction.status_code == 201, correction.json
    fixed = correction.json
    assert fixed["number"] != first["number"] and fixed["supersedes_id"] == first["id"]
    assert first["number"] in flat(_pdf(client, world, fixed["id"]).data)  # 本文书更正并替代…
    old = client.get(f"/api/documents/{first['id']}", headers=world.headers["inspector"]).json
    assert old["status"] == "superseded" and old["superseded_by_id"] == fixed["id"]
    session.refresh(hazards[0])
    assert hazards[0].status == "notice_issued" and (hazards[0].deadline - utcnow().date()).days in (19, 20)
    voided = client.post(f"/api/documents/{fixed['id']}/void", json={"reason": "文书送达对象错误"},
                         headers=world.headers["park_manager"])  # fmt: skip
    assert voided.status_code == 200 and voided.json["status"] == "voided" and voided.json["number"] == fixed["number"]
    assert _pdf(client, world, first["id"]).data == original
    assert old["sha256"] == first["sha256"] == hashlib.sha256(original).hexdigest()
    row = session.get(Document, uuid.UUID(first["id"]))
    assert storage.current().get(row.storage_key) == original
    assert service.rerender(row) == original  # frozen view-model: the same input gives the same bytes
    next_one = _issue(client, world, notice_body(world.own, signers, _hazards(session, world, 1))).json
    assert next_one["number"].endswith("0003号")  # the voided number is never reused


def test_verify_answers_only_the_public_facts_and_detects_a_wrong_hash(client, session, world, signers):
    document, _, _inspectors = issued_notice(session, world.own)
    session.commit()
    row = session.get(Document, document.id)
    url = row.view_model["header"]["verify_url"]
    assert url.endswith(f"/verify/{quote(row.number, safe='')}?h={row.content_sha256[:16]}")
    good = client.get(url[url.index("/verify/") :])
    assert good.status_code == 200
    assert good.json == {
        "number": row.number, "doc_type": "notice", "title": "限期整改意见书",
        "issued_on": row.view_model["header"]["issued_on"], "issuer": row.view_model["header"]["issuer_name"],
        "hash_matches": True,
    }  # fmt: skip
    by_file_hash = client.get(f"/verify/{quote(row.number, safe='')}?h={row.sha256[:12]}")
    assert by_file_hash.json["hash_matches"] is True
    wrong = client.get(f"/verify/{quote(row.number, safe='')}?h={'0' * 16}")
    assert wrong.status_code == 200 and wrong.json["hash_matches"] is False
    assert set(wrong.json) == set(good.json)
    assert world.own.name not in wrong.get_data(as_text=True) and "隐患" not in wrong.get_data(as_text=True)
    assert client.get(f"/verify/{quote(row.number, safe='')}?h=ab").json["hash_matches"] is False  # too short
    assert client.get(f"/verify/{quote('（无）安整〔2026〕9999号', safe='')}").status_code == 404


def test_documents_are_read_only_within_scope(client, session, world):
    own, _h, _i = issued_notice(session, world.own)
    other, _h2, _i2 = issued_notice(session, world.other)
    session.commit()
    officer = world.headers["enterprise_safety_officer"]
    listed = client.get("/api/documents", headers=officer).json["items"]
    assert [d["id"] for d in listed] == [str(own.id)]
    assert client.get(f"/api/documents/{other.id}", headers=officer).status_code == 404
    assert client.get(f"/api/documents/{other.id}/pdf", headers=officer).status_code == 404
    assert client.get(f"/api/documents/{own.id}/pdf", headers=world.headers["foreign_manager"]).status_code == 404
    assert client.get(f"/api/documents/{own.id}/pdf", headers=officer).status_code == 200


def test_enterprise_acknowledges_a_notice_and_gets_a_receipt(client, session, world):
    notice, hazards, _inspectors = issued_notice(session, world.own, count=2)
    session.commit()
    local = utcnow().astimezone(ZoneInfo("Asia/Shanghai")).replace(second=0, microsecond=0)
    body = {"recipient_name": "赵大伟", "recipient_role": "主要负责人", "received_at": local.isoformat(),
            "method": "electronic"}  # fmt: skip
    url = f"/api/documents/{notice.id}/acknowledge"
    response = client.post(url, json=body, headers=world.headers["enterprise_principal"])
    assert response.status_code == 201, response.json
    receipt = response.json
    assert receipt["doc_type"] == "receipt" and receipt["subject_id"] == str(notice.id)
    for hazard in hazards:
        session.refresh(hazard)
        assert hazard.status == "rectifying"
    session.refresh(notice)
    assert notice.acknowledged_at is not None and notice.acknowledged_by == world.user("enterprise_principal").id
    text = flat(_pdf(client, world, receipt["id"], "enterprise_principal").data)
    assert (
        "送达回执" in text
        and notice.number in text
        and f"于{local.year}年{local.month}月{local.day}日{local.hour}时{local.minute:02d}分收到" in text
    )
    assert client.post(url, json=body, headers=world.headers["enterprise_principal"]).status_code == 409


def test_recheck_opinion_lists_passed_and_failed_items_with_the_new_deadline(client, session, world):
    notice, hazards, inspectors = issued_notice(session, world.own, count=2)
    for hazard in hazards:
        hazard.status = "reply_submitted"
        session.add(hazard)
    actor = actor_of(session, inspectors[0])
    new_deadline = hazards[1].deadline.replace(year=hazards[1].deadline.year + 1)
    hazard_service.perform(session=session, actor=actor, hazard_id=hazards[0].id, action="recheck_pass",
                           data={"note": "通道已清理", "photo_ids": []})  # fmt: skip
    hazard_service.perform(session=session, actor=actor, hazard_id=hazards[1].id, action="recheck_fail",
                           data={"note": "仍未整改", "new_deadline": new_deadline, "photo_ids": []})  # fmt: skip
    session.commit()
    headers = bearer(login_tokens(session, inspectors[0]).access_token)
    body = {"notice_id": str(notice.id), "inspector_ids": [str(u.id) for u in inspectors]}
    response = client.post("/api/documents/recheck-opinions", json=body, headers=headers)
    assert response.status_code == 201, response.json
    text = flat(client.get(f"/api/documents/{response.json['id']}/pdf", headers=headers).data)
    assert "整改复查意见书" in text and notice.number in text
    passed, failed = text.split("以下隐患已整改合格：")[1].split("以下隐患未整改合格")
    assert hazards[0].hazard_no in passed and hazards[1].hazard_no in failed
    assert f"{new_deadline.year}年{new_deadline.month}月{new_deadline.day}日" in failed


def test_recheck_opinion_needs_recorded_rechecks(client, session, world, signers):
    notice, _, _inspectors = issued_notice(session, world.own, inspectors=signers)
    session.commit()
    body = {"notice_id": str(notice.id), "inspector_ids": [str(u.id) for u in signers]}
    response = client.post("/api/documents/recheck-opinions", json=body, headers=world.headers["inspector"])
    assert response.status_code == 422 and "notice_id" in response.json["errors"]
    assert _count(session, Hazard, status="closed") == 0


def test_hazards_of_a_voided_notice_can_be_served_again_with_checked_terms(client, session, world, signers):
    hazards = _hazards(session, world, 1)
    first = _issue(client, world, notice_body(world.own, signers, hazards)).json
    voided = client.post(f"/api/documents/{first['id']}/void", json={"reason": "填写错误"},
                         headers=world.headers["park_manager"])  # fmt: skip
    assert voided.status_code == 200
    past = _issue(client, world, notice_body(world.own, signers, hazards, days=-3))
    assert past.status_code == 422 and "deadline" in past.json["errors"]  # the notice's own checks still apply
    again = _issue(client, world, notice_body(world.own, signers, hazards, days=15))
    assert again.status_code == 201 and again.json["number"] != first["number"]
    session.refresh(hazards[0])
    assert hazards[0].status == "notice_issued"
    assert _count(session, HazardEvent, hazard_id=hazards[0].id, action="correct_notice") == 1


def test_a_retried_issue_with_its_idempotency_key_returns_the_same_document(client, session, world, signers):
    body = _json(notice_body(world.own, signers, _hazards(session, world, 1)))
    headers = {**world.headers["inspector"], "Idempotency-Key": "notice-retry-1"}
    first = client.post("/api/documents/notices", json=body, headers=headers)
    retry = client.post("/api/documents/notices", json=body, headers=headers)
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json["id"] == first.json["id"] and retry.headers.get("Idempotent-Replayed") == "true"
    assert _count(session, Document) == 1


def test_the_list_filters_by_type_and_status_and_pages(client, session, world):
    notice, _, _ = issued_notice(session, world.own)
    second, _, _ = issued_notice(session, world.own)
    session.commit()
    headers = world.headers["park_manager"]
    client.post(f"/api/documents/{second.id}/void", json={"reason": "重复"}, headers=headers)
    page = client.get("/api/documents?doc_type=notice&status=issued&limit=1", headers=headers).json
    assert [d["id"] for d in page["items"]] == [str(notice.id)]
    voided = client.get("/api/documents?status=voided", headers=headers).json["items"]
    assert [d["id"] for d in voided] == [str(second.id)]
    first_page = client.get("/api/documents?limit=1", headers=headers).json
    rest = client.get(f"/api/documents?limit=1&cursor={first_page['next_cursor']}", headers=headers).json
    assert [d["id"] for d in first_page["items"] + rest["items"]] == [str(notice.id), str(second.id)]


def test_a_number_with_a_slash_still_verifies(client, session, world, signers):
    from inspect_service.parks.models import Park

    park = session.get(Park, world.park.id)
    park.settings = {**park.settings, "document_number_patterns": {"notice": "安整/{year}/{seq}"}}
    session.commit()
    doc = _issue(client, world, notice_body(world.own, signers, _hazards(session, world, 1))).json
    url = session.get(Document, uuid.UUID(doc["id"])).view_model["header"]["verify_url"]
    answer = client.get(url[url.index("/verify/") :])
    assert answer.status_code == 200 and answer.json["number"] == doc["number"] and answer.json["hash_matches"]


def test_a_park_notice_is_issued_in_the_parks_own_name(client, session, world, signers):
    hazards = _hazards(session, world, count=1)
    forged = _issue(client, world, {**notice_body(world.own, signers, hazards), "issuer_name": "某市应急管理局"})
    assert forged.status_code == 422 and "issuer_name" in forged.json["errors"]
    assert _count(session, Document) == 0


@pytest.mark.parametrize(
    ("moment", "why"),
    [(lambda: utcnow() + timedelta(days=1), "future"), (lambda: utcnow() - timedelta(days=30), "before issue"),
     (lambda: "9999-12-31T23:59:00+00:00", "out of range")],
)  # fmt: skip
def test_a_receipt_time_outside_issue_and_now_is_refused(moment, why, client, session, world):
    notice, _hazards_served, _inspectors = issued_notice(session, world.own)
    session.commit()
    value = moment()
    body = {"recipient_name": "赵大伟", "recipient_role": "主要负责人", "method": "electronic",
            "received_at": value if isinstance(value, str) else value.isoformat()}  # fmt: skip
    response = client.post(f"/api/documents/{notice.id}/acknowledge", json=body,
                           headers=world.headers["enterprise_principal"])  # fmt: skip
    assert response.status_code == 422, why
    assert "received_at" in response.json["errors"]


def test_only_the_enterprise_or_an_inspector_acknowledges(client, session, world):
    notice, _hazards_served, _inspectors = issued_notice(session, world.own)
    session.commit()
    body = {"recipient_name": "赵大伟", "recipient_role": "主要负责人", "method": "electronic",
            "received_at": utcnow().isoformat()}  # fmt: skip
    url = f"/api/documents/{notice.id}/acknowledge"
    assert client.post(url, json=body, headers=world.headers["park_manager"]).status_code == 403
    assert _count(session, Document, doc_type="receipt") == 0


def test_park_wide_reading_does_not_let_a_liaison_issue_records_outside_the_portfolio(client, session, world):
    from inspect_service.parks.models import Park
    from tests.inspections.factories import make_inspection

    park = session.get(Park, world.park.id)
    park.settings = {**park.settings, "liaison_park_read": True}
    inspection = make_inspection(session, world.other, world.user("inspector"), ended_at=utcnow())
    session.commit()
    headers = world.headers["liaison_officer"]
    assert client.get(f"/api/inspections/{inspection.id}", headers=headers).status_code == 200  # may read it
    response = client.post("/api/documents/inspection-records", json={"inspection_id": str(inspection.id)},
                           headers=headers)  # fmt: skip
    assert response.status_code == 403


def test_one_live_document_per_subject_and_a_correction_names_its_own(client, session, world):
    from tests.inspections.factories import make_inspection

    first, second = (make_inspection(session, world.own, world.user("inspector"), ended_at=utcnow()) for _ in "ab")
    session.commit()
    headers, url = world.headers["inspector"], "/api/documents/inspection-records"
    record = client.post(url, json={"inspection_id": str(first.id)}, headers=headers)
    assert record.status_code == 201, record.json
    again = client.post(url, json={"inspection_id": str(first.id)}, headers=headers)
    assert again.status_code == 409 and record.json["number"] in again.json["detail"]
    other = client.post(url, json={"inspection_id": str(second.id)}, headers=headers)
    assert other.status_code == 201
    wrong = client.post(url, json={"inspection_id": str(second.id), "supersedes_id": record.json["id"]},
                        headers=headers)  # fmt: skip
    assert wrong.status_code == 422 and "supersedes_id" in wrong.json["errors"]
    corrected = client.post(url, json={"inspection_id": str(first.id), "supersedes_id": record.json["id"]},
                            headers=headers)  # fmt: skip
    assert corrected.status_code == 201
    assert session.get(Document, uuid.UUID(record.json["id"])).status == "superseded"


def test_one_statistics_table_per_period(client, session, world):
    headers, url = world.headers["enterprise_principal"], "/api/documents/statistics"
    year = utcnow().year - 1
    assert client.post(url, json={"year": year}, headers=headers).status_code == 201
    assert client.post(url, json={"year": year}, headers=headers).status_code == 409
    assert client.post(url, json={"year": year, "quarter": 4}, headers=headers).status_code == 201  # another period
