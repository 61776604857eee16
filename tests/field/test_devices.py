"""A second device of the same user sees the first device's work through the change feed; signing out warns
while work is queued and leaves nothing behind."""

from inspect_service.auth.actor import actor_for
from inspect_service.extensions import db
from inspect_service.parks.models import Park
from inspect_service.users import service as user_service
from inspect_service.users.models import User
from tests.field import live
from tests.users.factories import PASSWORD


def test_a_second_device_sees_the_first_devices_hazard_through_the_feed(field, chromium_pair):
    server, _chromium, scene, _app = field
    first, second = chromium_pair
    a = first.new_page()
    b = second.new_page()
    live.sign_in(a, server.base, scene.inspector.username, PASSWORD)
    live.sign_in(b, server.base, scene.inspector.username, PASSWORD)

    a.goto(f"{server.base}/app/#/hazard-new?enterprise={scene.plant.id}")
    a.wait_for_selector("input[name=location_text]")
    a.set_input_files("input[type=file][data-role=before]", [live.jpeg()])
    a.wait_for_selector(".photo-picker .photos img")
    a.fill("input[name=location_text]", "危化品仓库门口")
    a.fill("textarea[name=description]", "第二台设备应看到的隐患")
    a.fill("textarea[name=legal_basis]", "《危险化学品安全管理条例》第二十四条")
    a.click("form button[type=submit]")
    live.sync(a)

    live.sync(b)
    b.goto(f"{server.base}/app/#/hazards")
    card = b.locator(".card.hazard", has_text="第二台设备应看到的隐患")
    card.wait_for()
    assert "待同步" not in card.inner_text()  # the server's copy, with its number
    assert card.locator("strong").inner_text().strip() not in ("", "待同步")


def test_signing_out_warns_about_queued_work_and_clears_the_phone(field, phone):
    server, _chromium, scene, _app = field
    page = phone.new_page()
    live.sign_in(page, server.base, scene.officer.username, PASSWORD)
    phone.set_offline(True)
    page.goto(f"{server.base}/app/#/hazard/{scene.to_reply.id}/request_extension")
    page.fill("textarea[name=reason]", "设备到货延迟")
    page.fill("input[name=proposed_deadline]", "2099-01-01")
    page.fill("textarea[name=interim_measures]", "设置警戒线")
    page.click("form button[type=submit]")
    page.wait_for_url(f"**/app/#/hazard/{scene.to_reply.id}")
    page.goto(f"{server.base}/app/#/sync")
    warnings = []

    def answer(dialog):
        warnings.append(dialog.message)
        dialog.dismiss() if len(warnings) == 1 else dialog.accept()

    page.on("dialog", answer)
    page.click("text=退出登录")
    for _ in range(50):
        if warnings:
            break
        page.wait_for_timeout(100)
    assert len(warnings) == 1 and "1 项" in warnings[0]
    assert live.pending(page) == 1  # dismissed: nothing lost
    page.click("text=退出登录")
    page.wait_for_url("**/app/#/login")
    assert page.evaluate("window.fieldApp.store.outbox().then(o => o.length)") == 0
    assert page.evaluate("window.fieldApp.store.list('hazard').then(h => h.length)") == 0


def test_an_enterprise_added_to_the_inspectors_portfolio_reaches_the_phone(field, phone):
    server, _chromium, scene, app = field
    page = phone.new_page()
    live.sign_in(page, server.base, scene.inspector.username, PASSWORD)
    page.goto(f"{server.base}/app/#/enterprises")
    page.locator(f".card.enterprise[data-id='{scene.plant.id}']").wait_for()
    assert page.locator(f".card.enterprise[data-id='{scene.neighbour.id}']").count() == 0
    with app.app_context():
        session = db.new_session()
        try:
            manager = session.get(User, scene.manager.id)
            actor = actor_for(manager, session.get(Park, manager.park_id), None)
            user_service.set_portfolio(session=session, actor=actor, user_id=scene.inspector.id,
                                       enterprise_ids=[scene.plant.id, scene.neighbour.id])  # fmt: skip
            session.commit()
        finally:
            session.close()
    live.sync(page)  # the feed says resync: the phone bootstraps again
    page.goto(f"{server.base}/app/#/enterprises")
    page.locator(f".card.enterprise[data-id='{scene.neighbour.id}']").wait_for()
