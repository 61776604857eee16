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


@pytest.fixture
def phone(field):
    """A fresh phone: a new browser context at 390×844 with location allowed (closed afterwards)."""
    _server, chromium, _scene, _app = field
    context = chromium.new_context(**live.PHONE, permissions=["geolocation"],
                                   geolocation={"latitude": 31.2305, "longitude": 121.4738})  # fmt: skip
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def chromium_pair(field):
    """Two phones of one user (two browser contexts: separate storage, separate service workers)."""
    _server, chromium, _scene, _app = field
    contexts = [chromium.new_context(**live.PHONE) for _ in range(2)]
    try:
        yield contexts
    finally:
        for context in contexts:
            context.close()
