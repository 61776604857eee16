"""The console's ledger: the API's filters and scoping, sorting, pages, overdue rows, the Excel export."""

import io
import re

import pytest
from openpyxl import load_workbook

from tests.hazards.factories import make_hazard
from tests.web.console import sign_in

ROW = re.compile(r'<tr class="([^"]*)" data-hazard-no="([^"]+)">')


def _rows(response) -> list[tuple[str, str]]:
    """(hazard no., row classes) of the ledger table, in order."""
    return [(no, classes) for classes, no in ROW.findall(response.get_data(as_text=True))]


@pytest.fixture
def ledger(session, world):
    """Hazards of the own, other and foreign enterprises: overdue majors, a current major, an overdue general."""
    inspector = world.user("inspector")
    made = {}
    for name in ("own", "other", "foreign"):
        enterprise = getattr(world, name)
        made[f"{name}_overdue_major"] = make_hazard(session, enterprise, inspector, status="rectifying", level="major",
                                                    deadline_days=-3)  # fmt: skip
        made[f"{name}_current_major"] = make_hazard(session, enterprise, inspector, status="rectifying", level="major")
        made[f"{name}_overdue_general"] = make_hazard(session, enterprise, inspector, status="notice_issued",
                                                      deadline_days=-1)  # fmt: skip
    session.commit()
    return made


def test_manager_filters_the_ledger_to_overdue_major_hazards_of_the_park(client, session, world, ledger):
    sign_in(client, session, world.user("park_manager"))
    response = client.get("/console/ledger?overdue=true&level=major")
    assert response.status_code == 200
    rows = _rows(response)
    assert {no for no, _ in rows} == {ledger["own_overdue_major"].hazard_no, ledger["other_overdue_major"].hazard_no}
    assert all("overdue" in classes.split() for _, classes in rows)
    assert '<strong id="ledger-total">2</strong>' in response.get_data(as_text=True)


def test_overdue_rows_are_marked_and_others_are_not(client, session, world, ledger):
    sign_in(client, session, world.user("park_manager"))
    rows = dict(_rows(client.get("/console/ledger")))
    assert "overdue" in rows[ledger["own_overdue_general"].hazard_no].split()
    assert "overdue" not in rows[ledger["own_current_major"].hazard_no].split()


def test_enterprise_officer_sees_only_their_enterprise(client, session, world, ledger):
    sign_in(client, session, world.user("enterprise_safety_officer"))
    shown = {no for no, _ in _rows(client.get("/console/ledger"))}
    assert shown == {h.hazard_no for key, h in ledger.items() if key.startswith("own_")}
    other = client.get(f"/console/ledger?enterprise_id={world.other.id}")
    assert _rows(other) == []


def test_ledger_sorts_by_deadline_both_ways(client, session, world, ledger):
    sign_in(client, session, world.user("park_manager"))
    ascending = [no for no, _ in _rows(client.get("/console/ledger?sort=deadline&order=asc"))]
    descending = [no for no, _ in _rows(client.get("/console/ledger?sort=deadline&order=desc"))]
    deadlines = {h.hazard_no: h.deadline for h in ledger.values()}
    assert [deadlines[no] for no in ascending] == sorted(deadlines[no] for no in ascending)
    assert [deadlines[no] for no in descending] == sorted((deadlines[no] for no in descending), reverse=True)


def test_ledger_pages_fifty_rows_at_a_time(client, session, world):
    for _ in range(55):
        make_hazard(session, world.own, world.user("inspector"))
    session.commit()
    sign_in(client, session, world.user("enterprise_safety_officer"))
    first, second = client.get("/console/ledger"), client.get("/console/ledger?page=2")
    assert len(_rows(first)) == 50
    assert len(_rows(second)) == 5
    assert not {no for no, _ in _rows(first)} & {no for no, _ in _rows(second)}
    assert "下一页" in first.get_data(as_text=True)


def test_invalid_filter_is_a_422_in_chinese(client, session, world):
    sign_in(client, session, world.user("park_manager"))
    response = client.get("/console/ledger?level=catastrophic")
    assert response.status_code == 422
    assert "等级" in response.get_data(as_text=True)
    assert client.get("/console/ledger?sort=password_hash").status_code == 422
    assert client.get("/console/ledger?colour=red").status_code == 422  # unknown filters refused as by the API


def test_export_is_the_filtered_ledger_workbook(client, session, world, ledger):
    sign_in(client, session, world.user("park_manager"))
    response = client.get("/console/ledger/export?overdue=true&level=major")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data))["台账"]
    numbers = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert numbers == {ledger["own_overdue_major"].hazard_no, ledger["other_overdue_major"].hazard_no}


def test_export_of_an_enterprise_user_holds_only_their_enterprise(client, session, world, ledger):
    sign_in(client, session, world.user("enterprise_principal"))
    sheet = load_workbook(io.BytesIO(client.get("/console/ledger/export").data))["台账"]
    numbers = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert numbers == {h.hazard_no for key, h in ledger.items() if key.startswith("own_")}
