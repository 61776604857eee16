"""The monthly self-check report on phones: the officer drafts it offline and submits it, the principal returns it
with a reason, the officer submits again and the principal signs it off; the notification feed; a self-patrol."""

from playwright.sync_api import expect
from sqlmodel import select

from inspect_service.campaigns.models import InspectionTask
from inspect_service.extensions import db
from inspect_service.notifications.models import Notification
from inspect_service.selfchecks.models import SelfCheckReport
from tests.field import live
from tests.users.factories import PASSWORD


def _report(app, enterprise_id):
    with app.app_context():
        session = db.new_session()
        try:
            return session.exec(select(SelfCheckReport).where(SelfCheckReport.enterprise_id == enterprise_id)).one()
        finally:
            session.close()


def _act(page, server, report_id, button: str, reason: str | None = None) -> None:
    page.goto(f"{server.base}/app/#/report/{report_id}")
    if reason is not None:
        page.fill("textarea[name=reason]", reason)
    page.click(f"button:has-text('{button}')")
    page.wait_for_url("**/app/#/reports")
    live.sync(page)


def test_officer_drafts_and_submits_and_the_principal_returns_then_signs_off(field, chromium_pair):
    server, _chromium, scene, app = field
    officer_phone, principal_phone = chromium_pair
    officer = officer_phone.new_page()
    live.sign_in(officer, server.base, scene.officer.username, PASSWORD)
    officer_phone.set_offline(True)
    officer.goto(f"{server.base}/app/#/reports")
    officer.click("a[href='#/report-new']")
    officer.fill("textarea[name=checks_summary]", "本月开展自查 4 次，发现隐患 3 项")
    officer.fill("textarea[name=rectification_summary]", "已整改 2 项")
    officer.click("form button[type=submit]")
    officer.wait_for_url("**/app/#/reports")
    expect(officer.locator(".card.report")).to_have_count(1)  # the draft, shown from the outbox
    officer_phone.set_offline(False)
    live.sync(officer)
    report = _report(app, scene.plant.id)
    assert (report.status, report.checks_summary) == ("draft", "本月开展自查 4 次，发现隐患 3 项")
    _act(officer, server, report.id, "提交主要负责人签发")
    assert _report(app, scene.plant.id).status == "submitted"

    principal = principal_phone.new_page()
    live.sign_in(principal, server.base, scene.principal.username, PASSWORD)
    _act(principal, server, report.id, "退回", reason="请补充未整改隐患的管控措施")
    returned = _report(app, scene.plant.id)
    assert (returned.status, returned.return_reason) == ("returned", "请补充未整改隐患的管控措施")

    live.sync(officer)
    _act(officer, server, report.id, "提交主要负责人签发")
    live.sync(principal)
    _act(principal, server, report.id, "签发")
    assert _report(app, scene.plant.id).status == "signed_off"


def test_the_notification_feed_shows_reminders_and_marks_them_read(field, phone):
    server, _chromium, scene, app = field
    page = phone.new_page()
    live.sign_in(page, server.base, scene.officer.username, PASSWORD)
    page.goto(f"{server.base}/app/#/notifications")
    card = page.locator(".card.notification", has_text="隐患整改即将到期")
    expect(card).to_contain_text("未读")
    card.click()
    page.wait_for_url(f"**/app/#/hazard/{scene.to_reply.id}")
    live.sync(page)
    with app.app_context():
        session = db.new_session()
        try:
            (row,) = session.exec(select(Notification).where(Notification.recipient_id == scene.officer.id)).all()
            assert row.read_at is not None
        finally:
            session.close()


def test_officer_completes_a_self_patrol_offline(field, phone):
    server, _chromium, scene, app = field
    page = phone.new_page()
    live.sign_in(page, server.base, scene.officer.username, PASSWORD)
    phone.set_offline(True)
    page.click(f".card.task[data-id='{scene.patrol.id}']")
    page.fill("textarea[name=note]", "巡查消防通道、配电房，未发现新问题")
    page.click("form button[type=submit]")
    page.wait_for_url("**/app/#/todo")
    expect(page.locator(f".card.task[data-id='{scene.patrol.id}']")).to_have_count(0)  # done, locally
    phone.set_offline(False)
    live.sync(page)
    with app.app_context():
        session = db.new_session()
        try:
            task = session.get(InspectionTask, scene.patrol.id)
            assert (task.status, task.note) == ("done", "巡查消防通道、配电房，未发现新问题")
        finally:
            session.close()
