"""create_app config branches: secrets fail fast outside development, bad settings refused."""

import pytest

from inspect_service import create_app
from inspect_service.auth.throttle import MemoryStore, RedisStore
from inspect_service.config import DEV_SECRET, ConfigError, from_environment, validate


def test_production_without_secret_refuses_to_start(database_url):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": "", "DATABASE_URL": database_url})


@pytest.mark.parametrize("secret", ["changeme", "change-me", "short-secret"])
def test_production_with_placeholder_or_short_secret_refuses(database_url, secret):
    with pytest.raises(ConfigError):
        create_app({"ENV_NAME": "production", "SECRET_KEY": secret, "DATABASE_URL": database_url})


def test_production_with_real_secret_starts(database_url):
    app = create_app({"ENV_NAME": "production", "SECRET_KEY": "x" * 40, "DATABASE_URL": database_url})
    assert app.config["SECRET_KEY"] == "x" * 40
    assert app.config["MAX_CONTENT_LENGTH"] > 0


def test_development_gets_a_development_secret(database_url):
    app = create_app({"ENV_NAME": "development", "SECRET_KEY": "", "DATABASE_URL": database_url})
    assert app.config["SECRET_KEY"] == DEV_SECRET


def test_unknown_environment_is_refused(database_url):
    with pytest.raises(ConfigError, match="INSPECT_ENV"):
        create_app({"ENV_NAME": "staging", "DATABASE_URL": database_url})


def test_unsupported_database_url_is_refused():
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        create_app({"DATABASE_URL": "mysql://localhost/x"})


def test_bad_time_zone_is_refused(database_url):
    with pytest.raises(ConfigError, match="DEFAULT_TIMEZONE"):
        create_app({"DATABASE_URL": database_url, "DEFAULT_TIMEZONE": "Mars/Olympus"})


def test_environment_variables_are_read():
    settings = from_environment(
        {
            "INSPECT_ENV": "production",
            "SECRET_KEY": "k" * 40,
            "ACCESS_TOKEN_TTL_SECONDS": "60",
            "REFRESH_GRACE_SECONDS": "30",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "DATABASE_URL": "sqlite:///x.db",
        }
    )
    validate(settings)
    assert settings["ACCESS_TOKEN_TTL"].total_seconds() == 60
    assert settings["REDIS_URL"] == "redis://127.0.0.1:6379/0"


def test_a_refresh_grace_longer_than_the_access_token_lives_is_refused():
    settings = from_environment(
        {"ACCESS_TOKEN_TTL_SECONDS": "60", "REFRESH_GRACE_SECONDS": "61", "DATABASE_URL": "sqlite:///x.db"}
    )
    with pytest.raises(ConfigError, match="REFRESH_GRACE_SECONDS must not exceed ACCESS_TOKEN_TTL_SECONDS"):
        validate(settings)
    validate({**settings, "REFRESH_GRACE_SECONDS": 60})


def test_non_integer_setting_is_refused():
    with pytest.raises(ConfigError, match="MAX_CONTENT_LENGTH"):
        from_environment({"MAX_CONTENT_LENGTH": "lots"})


def test_redis_url_selects_shared_throttle_store(database_url):
    with_redis = create_app({"DATABASE_URL": database_url, "REDIS_URL": "redis://127.0.0.1:6379/15"})
    without = create_app({"DATABASE_URL": database_url, "REDIS_URL": None})
    assert isinstance(with_redis.extensions["login_throttle"], RedisStore)
    assert isinstance(without.extensions["login_throttle"], MemoryStore)


def test_request_body_over_limit_is_413(database_url):
    app = create_app({"DATABASE_URL": database_url, "MAX_CONTENT_LENGTH": 1024})
    response = app.test_client().post("/api/auth/login", data="x" * 5000, content_type="application/json")
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"
