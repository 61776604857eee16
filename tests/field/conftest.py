"""Fixtures of the field app's browser tests: the live app with the scene, served on a port that can be closed."""

import pytest

from inspect_service.extensions import db
from tests.field import live, scene
from tests.web import browser


@pytest.fixture(scope="module")
def field(live_app):
    """(server, chromium, scene, app): the scene committed, the app served on 127.0.0.1, a headless Chromium."""
    browser.require_browser()
    with live_app.app_context():
        session = db.new_session()
        try:
            built = scene.build(session, live_app.extensions["storage"])
        finally:
            session.close()
    with live.serving(live_app) as server, browser.chromium() as chromium:
        yield server, chromium, built, live_app


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failed test at teardown."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _keep_screens(request, contexts) -> None:
    """After a failed test, save what every page of the phones showed (test-artifacts/, for CI)."""
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed:
        return
    for n, context in enumerate(contexts):
        for m, page in enumerate(context.pages):
            try:
                browser.screenshot(page, f"failed-{request.node.name}-{n}-{m}.png")
            except Exception:  # noqa: BLE001 - a closed page has nothing to show
                continue


@pytest.fixture
def phone(request, field):
    """A fresh phone: a new browser context at 390×844 with location allowed (closed afterwards)."""
    _server, chromium, _scene, _app = field
    context = chromium.new_context(**live.PHONE, permissions=["geolocation"],
                                   geolocation={"latitude": 31.2305, "longitude": 121.4738})  # fmt: skip
    try:
        yield context
    finally:
        _keep_screens(request, [context])
        context.close()


@pytest.fixture
def chromium_pair(request, field):
    """Two phones of one user (two browser contexts: separate storage, separate service workers)."""
    _server, chromium, _scene, _app = field
    contexts = [chromium.new_context(**live.PHONE) for _ in range(2)]
    try:
        yield contexts
    finally:
        _keep_screens(request, contexts)
        for context in contexts:
            context.close()
