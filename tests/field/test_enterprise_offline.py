"""The enterprise side offline: sign for a notice with a drawn signature and reply with an after-photo; the
inspector rechecks from the app. And a conflict: the manager voids a hazard while a reply to it waits offline."""

from playwright.sync_api import expect

from inspect_service.auth.actor import actor_for
from inspect_service.documents.models import Document
from inspect_service.extensions import db
from inspect_service.hazards import service as hazard_service
from inspect_service.hazards.models import Hazard
from inspect_service.parks.models import Park
from inspect_service.users.models import User
from tests.field import live
from tests.users.factories import PASSWORD
from tests.web import browser


def _get(app, model, object_id):
    with app.app_context():
        session = db.new_session()
        try:
            return session.get(model, object_id)
        finally:
            session.close()


def _reply(page, server, hazard_id, *, measures: str) -> None:
    page.goto(f"{server.base}/app/#/hazard/{hazard_id}/submit_reply")
    page.wait_for_selector("textarea[name=measures]")
    page.set_input_files("input[type=file][data-role=after]", [live.jpeg((40, 160, 60))])
    page.wait_for_selector(".field[data-name=after_photo_ids] .photos img")
    page.fill("textarea[name=measures]", measures)
    page.fill("input[name=cost]", "1200.50")
    page.click("form button[type=submit]")
    page.wait_for_url(f"**/app/#/hazard/{hazard_id}")
    expect(page.locator("#hazard-status")).to_have_text("已回复待复查")  # shown at once, from the outbox


def test_officer_signs_and_replies_offline_and_the_inspector_rechecks(field, phone):
    server, chromium, scene, app = field
    page = phone.new_page()
    live.sign_in(page, server.base, scene.officer.username, PASSWORD)
    page.wait_for_selector(f".card.document[data-id='{scene.notice.id}']")
    assert page.locator(f".card.task[data-id='{scene.task.id}']").count() == 0  # the inspector's spot check

    phone.set_offline(True)
    page.click(f".card.document[data-id='{scene.notice.id}']")
    page.click("#sign-document")
    page.wait_for_selector("canvas.signature")
    live.draw_signature(page)
    page.click("form button[type=submit]")
    page.wait_for_url("**/app/#/todo")
    assert page.locator(f".card.document[data-id='{scene.notice.id}']").count() == 0  # signed, locally
    _reply(page, server, scene.noticed.id, measures="已更换报警探头并联动切断阀")
    assert live.pending(page) == 2
    browser.screenshot(page, "field-officer-reply.png")

    phone.set_offline(False)
    live.sync(page)
    document = _get(app, Document, scene.notice.id)
    assert document.acknowledged_at is not None
    hazard = _get(app, Hazard, scene.noticed.id)
    assert hazard.status == "reply_submitted"
    assert hazard.details["reply"]["measures"] == "已更换报警探头并联动切断阀"

    inspector_phone = chromium.new_context(**live.PHONE)
    try:
        inspector = inspector_phone.new_page()
        live.sign_in(inspector, server.base, scene.inspector.username, PASSWORD)
        inspector.goto(f"{server.base}/app/#/hazard/{scene.noticed.id}")
        inspector.click(f"a[href='#/hazard/{scene.noticed.id}/recheck_pass']")
        inspector.fill("textarea[name=note]", "现场复查，报警仪已联动切断阀，合格")
        inspector.click("form button[type=submit]")
        live.sync(inspector)
    finally:
        inspector_phone.close()
    hazard = _get(app, Hazard, scene.noticed.id)
    assert (hazard.status, hazard.closure_type) == ("closed", "recheck_pass")


def _void(app, scene) -> None:
    with app.app_context():
        session = db.new_session()
        try:
            manager = session.get(User, scene.manager.id)
            actor = actor_for(manager, session.get(Park, manager.park_id), None)
            hazard_service.perform(session=session, actor=actor, hazard_id=scene.to_void.id, action="void",
                                   data={"reason": "mistaken", "note": "登记错误"})  # fmt: skip
            session.commit()
        finally:
            session.close()


def test_a_reply_to_a_hazard_voided_meanwhile_is_a_conflict_the_author_and_the_manager_see(field, phone):
    server, chromium, scene, app = field
    page = phone.new_page()
    live.sign_in(page, server.base, scene.officer.username, PASSWORD)
    phone.set_offline(True)
    _reply(page, server, scene.to_void.id, measures="已更换液位计")
    _reply(page, server, scene.to_reply.id, measures="已关闭配电箱门并张贴警示标识")
    _void(app, scene)  # the manager, at the console, while the phone is offline

    phone.set_offline(False)
    live.sync(page)
    assert _get(app, Hazard, scene.to_reply.id).status == "reply_submitted"  # the later operation still applied
    assert _get(app, Hazard, scene.to_void.id).status == "voided"
    page.goto(f"{server.base}/app/#/sync")
    card = page.locator(".card[data-status=conflict]")
    card.wait_for()
    assert "已作废" in card.inner_text()  # the server's state now, beside the reason
    browser.screenshot(page, "field-conflict.png")

    manager_context = chromium.new_context(locale="zh-CN")
    try:
        console = manager_context.new_page()
        console.goto(f"{server.base}/console/")
        console.fill("input[name=username]", scene.manager.username)
        console.fill("input[name=password]", PASSWORD)
        console.click("button[type=submit]")
        console.wait_for_url("**/console/dashboard")
        console.goto(f"{server.base}/console/sync-issues")
        assert str(scene.to_void.id) in console.content() or scene.to_void.hazard_no in console.inner_text("body")
    finally:
        manager_context.close()
