"""The enterprises page: class, risk colour, liaison officer, open and overdue hazards, last inspection, self-check."""

import re

import pytest

from inspect_service.common.time import local_date, utcnow
from tests.web import scenario
from tests.web.console import sign_in

ROW = re.compile(r'<tr data-enterprise="([^"]+)" class="[^"]*">(.*?)</tr>', re.S)


@pytest.fixture
def scene(app, session):
    """A park mid-campaign (tests.web.scenario)."""
    return scenario.build(session, app.extensions["storage"])


def _rows(response) -> dict[str, str]:
    return dict(ROW.findall(response.get_data(as_text=True)))


def _cell(row: str, name: str) -> str:
    return re.search(rf'<td class="{name}">(.*?)</td>', row, re.S).group(1)


def test_manager_sees_every_enterprise_with_its_figures(client, session, scene):
    sign_in(client, session, scene.manager)
    rows = _rows(client.get("/console/enterprises"))
    assert set(rows) == {scene.chemicals.name, scene.textiles.name}
    chemicals = rows[scene.chemicals.name]
    assert _cell(chemicals, "open-count") == "3"
    assert ">2</span>" in _cell(chemicals, "overdue-count")
    assert "刘蹲点" in chemicals
    assert "risk-red" in chemicals and "1 类" in chemicals
    assert local_date(utcnow(), scene.park.timezone).isoformat() in chemicals  # inspected today
    assert "未提交" in _cell(chemicals, "self-check")
    assert _cell(rows[scene.textiles.name], "open-count") == "2"


def test_enterprise_officer_sees_only_their_enterprise(client, session, scene):
    sign_in(client, session, scene.textiles_officer)
    assert set(_rows(client.get("/console/enterprises"))) == {scene.textiles.name}


def test_filter_by_risk_colour(client, session, scene):
    sign_in(client, session, scene.manager)
    assert set(_rows(client.get("/console/enterprises?risk_color=red"))) == {scene.chemicals.name}
    assert client.get("/console/enterprises?risk_color=purple").status_code == 422
