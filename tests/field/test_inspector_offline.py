"""An inspector's visit recorded with no network: the app opens from its service worker, the work waits in the
outbox across a closed page, and reaches the server once online — with its number and both photos."""

import uuid

from playwright.sync_api import expect
from sqlmodel import select

from inspect_service.campaigns.models import InspectionTask
from inspect_service.extensions import db
from inspect_service.hazards.models import Hazard
from inspect_service.inspections.models import Inspection, InspectionResult
from inspect_service.photos.models import Photo
from tests.field import live
from tests.users.factories import PASSWORD
from tests.web import browser


def _rows(app, model, *where):
    with app.app_context():
        session = db.new_session()
        try:
            return list(session.exec(select(model).where(*where)).all())
        finally:
            session.close()


def _record_visit(page, scene) -> None:
    """Tasks → enterprise → inspection with the template: one item passes, the ★ item fails with two photos."""
    page.click(f".card.task[data-id='{scene.task.id}']")
    page.wait_for_selector("text=开始检查")
    page.click("text=开始检查")
    page.wait_for_selector("select[name=template]")
    page.select_option("select[name=template]", str(scene.template.id))
    page.click(f".card.item[data-code='{scene.pass_item.code}'] button[data-result=pass]")
    page.click(f".card.item[data-code='{scene.star_item.code}'] button[data-result=fail]")
    page.wait_for_selector("input[name=location_text]")
    assert page.input_value("select[name=level]") == "major"  # ★ proposes major, with its criterion
    assert page.is_checked("input[name=suspected_major]")
    assert "第二十八条" in page.input_value("textarea[name=legal_basis]")
    page.set_input_files("input[type=file][data-role=before]", [live.jpeg((200, 30, 30)), live.jpeg((30, 90, 200))])
    page.wait_for_selector(".photo-picker .photos img >> nth=1")
    page.fill("input[name=location_text]", "二号车间东侧安全出口")
    page.fill("input[name=responsible_person]", "钱立")
    page.fill("textarea[name=measures]", "清理出口堆放物，设置禁止堆放标识")
    page.click("form button[type=submit]")
    page.wait_for_selector("text=现场签字并结束")
    page.click("text=现场签字并结束")
    page.fill("input[name=site_rep_name]", "赵建国")
    page.fill("input[name=site_rep_role]", "总经理")
    live.draw_signature(page)
    page.click("form button[type=submit]")
    page.wait_for_url("**/app/#/tasks")


def test_inspection_recorded_offline_reaches_the_server_with_its_number_and_photos(field, phone):
    server, _chromium, scene, app = field
    page = phone.new_page()
    live.sign_in(page, server.base, scene.inspector.username, PASSWORD)
    page.wait_for_selector(f".card.task[data-id='{scene.task.id}']")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()  # the worker installed on this visit controls the page from the next load
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")

    phone.set_offline(True)
    page.reload()  # the shell comes from the service worker, the data from the replica
    page.wait_for_selector(f".card.task[data-id='{scene.task.id}']")
    assert scene.plant.name in page.inner_text(f".card.task[data-id='{scene.task.id}']")
    _record_visit(page, scene)
    browser.screenshot(page, "field-inspection.png")
    assert page.locator(f".card.task[data-id='{scene.task.id}']").count() == 0  # done by the visit, locally
    page.close()

    page = phone.new_page()  # the app killed and opened again, still offline
    page.goto(f"{server.base}/app/#/sync")
    page.wait_for_selector("#ledger .pending-count")
    # The inspection, the pass, the fail with its hazard, the site representative's signature.
    assert page.inner_text("#ledger .pending-count") == "4 项"
    assert page.inner_text("#ledger .oldest") != "—"
    assert page.inner_text("#sync-pill") == "待上传 4"

    phone.set_offline(False)
    live.sync(page)
    expect(page.locator("#ledger .pending-count")).to_have_text("0 项")
    (inspection,) = _rows(app, Inspection, Inspection.enterprise_id == scene.plant.id)
    assert (inspection.site_rep_name, inspection.site_rep_role) == ("赵建国", "总经理")
    assert inspection.ended_at is not None and not inspection.site_rep_refused
    (signature,) = _rows(app, Photo, Photo.id == inspection.site_rep_signature_photo_id)
    assert signature.role == "signature"
    (task,) = _rows(app, InspectionTask, InspectionTask.id == scene.task.id)
    assert (task.status, task.inspection_id) == ("done", inspection.id)  # the visit completed its task
    results = _rows(app, InspectionResult, InspectionResult.inspection_id == inspection.id)
    assert sorted(r.result for r in results) == ["fail", "pass"]
    (hazard,) = _rows(app, Hazard, Hazard.inspection_id == inspection.id)
    assert hazard.hazard_no and hazard.level == "major" and hazard.major_criterion_ref == "GB 35181-2017 第四条"
    assert hazard.location_text == "二号车间东侧安全出口" and hazard.latitude is not None
    photo_ids = [uuid.UUID(p) for p in hazard.details["photo_ids"]]
    photos = _rows(app, Photo, Photo.id.in_(photo_ids))
    assert len(photos) == 2 and all(max(p.width, p.height) <= 2560 for p in photos)
    # The phone shows the server's number once the feed brought it back.
    page.goto(f"{server.base}/app/#/hazard/{hazard.id}")
    page.wait_for_selector(f"text={hazard.hazard_no}")


def test_a_sync_cut_midway_duplicates_nothing_and_loses_nothing(field, phone):
    server, _chromium, scene, app = field
    page = phone.new_page()
    live.sign_in(page, server.base, scene.inspector.username, PASSWORD)
    server.stop()  # the server really unreachable: the shell still opens, capture still works
    page.reload()
    page.wait_for_selector("#tabs a")
    for n in range(3):
        page.goto(f"{server.base}/app/#/hazard-new?enterprise={scene.plant.id}")
        page.wait_for_selector("input[name=location_text]")
        page.set_input_files("input[type=file][data-role=before]", [live.jpeg((n * 60, 120, 40))])
        page.wait_for_selector(".photo-picker .photos img")
        page.fill("input[name=location_text]", f"断网测试部位{n}")
        page.fill("textarea[name=description]", f"断网测试隐患{n}")
        page.fill("textarea[name=legal_basis]", "《安全生产法》第四十一条")
        page.click("form button[type=submit]")
        live.until(page, f"(await window.fieldApp.store.pending()).length === {n + 1}")
    server.start()

    # The batch reaches the server, but its response is lost on the way back.
    cut = {"count": 0}

    def lose_response(route):
        route.fetch()
        cut["count"] += 1
        route.abort("connectionreset")

    page.route("**/api/sync/batch", lose_response)
    page.evaluate("window.fieldApp.syncNow()")
    page.wait_for_function("() => window.fieldApp.state.phase !== 'syncing'")
    assert cut["count"] == 1 and live.pending(page) == 3  # nothing acknowledged, nothing dropped
    page.unroute("**/api/sync/batch")
    live.sync(page)

    hazards = _rows(app, Hazard, Hazard.description.like("断网测试隐患%"))
    assert sorted(h.description for h in hazards) == [f"断网测试隐患{n}" for n in range(3)]
    assert len({h.hazard_no for h in hazards}) == 3 and all(h.hazard_no for h in hazards)
