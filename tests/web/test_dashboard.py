"""The campaign dashboard: timeline with today, the report's figures and rankings, milestones, scoped views."""

import re

import pytest

from inspect_service.reports import metrics
from tests.web import scenario
from tests.web.console import sign_in


@pytest.fixture
def scene(app, session):
    """A park mid-campaign (tests.web.scenario)."""
    return scenario.build(session, app.extensions["storage"])


def test_manager_dashboard_shows_the_campaign_figures_of_the_report(client, session, scene):
    sign_in(client, session, scene.manager)
    page = client.get("/console/dashboard").get_data(as_text=True)
    expected = metrics.compute(session, scene.park, campaign_id=scene.campaign.id)
    assert f'<span class="big" id="found-total">{expected.total.found}</span>' in page
    assert f'<span class="big" id="overdue-count">{len(expected.overdue)}</span>' in page
    assert len(expected.overdue) == 3  # two majors of the chemicals firm, one general of the textiles firm
    assert 'id="today-marker"' in page
    for chart in ("chart-trend", "chart-domain", "chart-source"):
        assert f'id="{chart}"' in page
    ranking = page.split('id="enterprise-ranking"')[1].split("</table>")[0]
    assert scene.chemicals.name in ranking
    assert "刘蹲点" in page.split('id="liaison-ranking"')[1]
    assert "反应釜安全阀超期未校验" in page.split('id="majors"')[1]
    milestones = page.split('id="milestones"')[1].split("</section>")[0]
    assert milestones.index("督查情况报告（") > -1 and "还有 5 天" in milestones


def test_timeline_marks_today_inside_the_open_phase(client, session, scene):
    sign_in(client, session, scene.manager)
    page = client.get(f"/console/dashboard?campaign_id={scene.campaign.id}").get_data(as_text=True)
    marker = float(re.search(r'<line x1="([\d.]+)"[^>]*id="today-marker"', page).group(1))
    open_phase = re.search(r'<rect x="([\d.]+)" y="20" width="([\d.]+)" height="30" class="phase phase-open"', page)
    start, width = float(open_phase.group(1)), float(open_phase.group(2))
    assert start < marker < start + width


def test_enterprise_officer_sees_no_park_figures_or_rankings(client, session, scene):
    sign_in(client, session, scene.textiles_officer)
    page = client.get("/console/dashboard").get_data(as_text=True)
    assert 'id="enterprise-ranking"' not in page
    assert scene.chemicals.name not in page
    assert '<span class="big" id="overdue-count">1</span>' in page  # the textiles firm's own overdue hazard


def test_unknown_campaign_is_a_404_page(client, session, scene):
    sign_in(client, session, scene.manager)
    assert client.get("/console/dashboard?campaign_id=00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/console/dashboard?campaign_id=not-an-id").status_code == 404


def test_dashboard_without_campaigns_still_answers(client, session, world):
    sign_in(client, session, world.user("park_manager"))
    response = client.get("/console/dashboard")
    assert response.status_code == 200
    assert "还没有检查活动" in response.get_data(as_text=True)
