"""The browser tests' own rules: they never skip in CI; elsewhere a missing browser skips them."""

import pytest

from tests.web import browser


def test_missing_browser_fails_in_ci(monkeypatch):
    monkeypatch.setattr(browser, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="must run in CI"):
        browser.require_browser()


def test_missing_browser_skips_outside_ci(monkeypatch):
    monkeypatch.setattr(browser, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="make test"):
        browser.require_browser()


def test_server_thread_stops_when_the_block_ends(app):
    import threading

    with browser.served(app) as base:
        assert base.startswith("http://127.0.0.1:")
        assert any(t.name == "console-live-server" for t in threading.enumerate())
    assert not any(t.name == "console-live-server" and t.is_alive() for t in threading.enumerate())
