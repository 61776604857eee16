"""Notification settings: e-mail off unless configured, webhook timeouts bounded."""

import pytest

from inspect_service.config import ConfigError, from_environment, validate


def test_email_is_off_by_default():
    settings = from_environment({})
    assert settings["SMTP_HOST"] is None
    assert (settings["SMTP_PORT"], settings["SMTP_STARTTLS"], settings["WEBHOOK_TIMEOUT_SECONDS"]) == (25, False, 5)


def test_smtp_settings_come_from_the_environment():
    env = {"SMTP_HOST": "mail.example.com", "SMTP_PORT": "587", "SMTP_STARTTLS": "true", "SMTP_USER": "bot"}
    settings = from_environment(env)
    assert (settings["SMTP_HOST"], settings["SMTP_PORT"], settings["SMTP_STARTTLS"]) == ("mail.example.com", 587, True)
    assert settings["SMTP_USER"] == "bot"


@pytest.mark.parametrize("seconds", ["0", "30"])
def test_webhook_timeout_outside_one_to_five_seconds_is_refused(seconds):
    with pytest.raises(ConfigError, match="WEBHOOK_TIMEOUT_SECONDS"):
        validate(from_environment({"WEBHOOK_TIMEOUT_SECONDS": seconds}))
