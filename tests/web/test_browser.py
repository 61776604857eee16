"""End to end in real headless Chromium: a park manager's day at the console, and an officer of another enterprise
who sees none of it."""

from datetime import timedelta

import pytest

from inspect_service.common.time import local_date, utcnow
from inspect_service.extensions import db
from tests.documents.factories import issued_notice
from tests.users.factories import PASSWORD
from tests.web import browser, scenario


@pytest.fixture(scope="module")
def site(live_app):
    """The live app with the scenario, served on 127.0.0.1, and a headless Chromium."""
    browser.require_browser()
    with live_app.app_context():
        session = db.new_session()
        try:
            scene = scenario.build(session, live_app.extensions["storage"])
            scene.notice, _hazards, _inspectors = issued_notice(session, scene.chemicals)  # one served earlier
            session.commit()
        finally:
            session.close()
    with browser.served(live_app) as base, browser.chromium() as chromium:
        yield base, chromium, scene, live_app


def _sign_in(context, base: str, user):
    page = context.new_page()
    page.goto(f"{base}/console/")
    assert "/console/login" in page.url
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/console/dashboard")
    return page


def _sign_out(page):
    page.click("header form button")
    page.wait_for_url("**/console/login")


def test_manager_reviews_the_campaign_and_an_inspector_issues_a_notice(site):
    base, chromium, scene, app = site
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
    page = _sign_in(context, base, scene.manager)

    # Dashboard: phases with today marked, the figures, charts and rankings.
    assert page.locator("#today-marker").count() == 1
    assert page.inner_text("#overdue-count") == "3"
    assert page.locator("#chart-trend rect").count() > 0
    assert scene.chemicals.name in page.inner_text("#enterprise-ranking")
    browser.screenshot(page, "dashboard.png")

    # Ledger: filtered to overdue major hazards, every row highlighted.
    page.click("nav >> text=隐患台账")
    page.select_option("#f-overdue", "true")
    page.select_option("#f-level", "major")
    page.click("#ledger-filters button[type=submit]")
    page.wait_for_url("**/console/ledger?*overdue=true*")
    rows = page.locator("#ledger-table tbody tr")
    assert rows.count() == 2
    assert all("overdue" in (rows.nth(i).get_attribute("class") or "") for i in range(2))
    assert {rows.nth(i).get_attribute("data-hazard-no") for i in range(2)} == {
        h.hazard_no for h in scene.overdue_majors
    }
    browser.screenshot(page, "ledger.png")

    # The hazard: its photo (thumbnail, enlarged on click), five points, history; a manager may escalate or void.
    page.click(f"text={scene.notice_target.hazard_no}")
    page.wait_for_url(f"**/console/hazards/{scene.notice_target.id}")
    assert "更换报警探头并联动切断阀" in page.inner_text("#five-points")
    thumbnail = page.locator(".thumbs img").first
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth > 0")
    page.click(".thumbs a")
    assert (
        page.locator("dialog#lightbox[open] img")
        .evaluate("img => img.src")
        .endswith(f"/console/photos/{scene.photo.id}")
    )
    page.keyboard.press("Escape")
    assert page.locator("#action-escalate").count() == 1
    assert page.locator("#action-issue_notice").count() == 0  # notices are served by inspectors (DOMAIN.md §4.2)
    _sign_out(page)

    # The park's inspector issues the notice from the same page: a numbered PDF, the hazard served.
    page = _sign_in(context, base, scene.inspector)
    page.goto(f"{base}/console/hazards/{scene.notice_target.id}")
    today = local_date(utcnow(), scene.park.timezone)
    page.click("#action-issue_notice summary")
    page.fill("#action-issue_notice input[name=deadline]", (today + timedelta(days=20)).isoformat())
    page.fill("#action-issue_notice input[name=recheck_date]", (today + timedelta(days=22)).isoformat())
    page.check(f"#action-issue_notice input[name=inspector_ids][value='{scene.cosigner.id}']")
    page.click("#action-issue_notice button[type=submit]")
    page.wait_for_selector(".flash")
    flash = page.inner_text(".flash")
    assert "已下达整改通知，文号" in flash
    number = flash.split("文号", 1)[1].strip()
    assert page.inner_text("#hazard-status") == "已下达整改通知"
    browser.screenshot(page, "hazard.png")
    _sign_out(page)

    # The manager finds the notice among the documents and opens its PDF.
    page = _sign_in(context, base, scene.manager)
    page.click("nav >> text=文书")
    page.click(f'#documents-table tr[data-number="{number}"] >> text=预览')
    page.wait_for_url("**/console/documents/*")
    assert page.inner_text("#document-number") == number
    browser.screenshot(page, "document.png")
    pdf_url = base + page.locator("#pdf-preview").get_attribute("src")
    pdf = context.request.get(pdf_url)
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # A supervision bulletin: queued, its progress followed by the page until the scheduler has rendered it.
    page.click("nav >> text=文书")
    page.select_option("#generate select[name=kind]", "supervision_bulletin")
    page.click("#generate button[type=submit]")
    page.wait_for_url("**/console/reports/*")
    assert page.locator("#job[data-job-status]").count() == 1
    run_scheduled_reports(app)  # what the scheduler process does
    page.wait_for_selector("#report-download", timeout=30_000)  # the page polled, saw "done" and reloaded
    assert page.get_attribute("#job-progress", "value") == "100"
    report = context.request.get(base + page.get_attribute("#report-download", "href"))
    assert report.status == 200 and report.body().startswith(b"%PDF")
    context.close()


def run_scheduled_reports(app) -> None:
    """Run the queued report jobs as the scheduler's sweep does."""
    from inspect_service.reports import jobs

    with app.app_context():
        session = db.new_session()
        try:
            jobs.run_report_jobs(session=session)
        finally:
            session.close()


def test_officer_of_another_enterprise_sees_none_of_it(site):
    base, chromium, scene, _app = site
    context = chromium.new_context(locale="zh-CN")
    page = _sign_in(context, base, scene.textiles_officer)
    assert page.locator("#enterprise-ranking").count() == 0
    assert scene.chemicals.name not in page.content()
    page.goto(f"{base}/console/ledger")
    shown = set(page.locator("#ledger-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.hazardNo)"))
    assert shown and not shown & {h.hazard_no for h in scene.overdue_majors}
    for path in (f"/console/hazards/{scene.notice_target.id}", f"/console/photos/{scene.photo.id}",
                 f"/console/documents/{scene.notice.id}"):  # fmt: skip
        response = page.goto(base + path)
        assert response.status == 404
        assert "不在您的查看范围内" in page.inner_text(".problem")
    pdf = context.request.get(f"{base}/console/documents/{scene.notice.id}/pdf")
    assert pdf.status == 404
    page.goto(f"{base}/console/documents")
    assert "华瑞化工" not in page.inner_text("#documents-table")
    context.close()
