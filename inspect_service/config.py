"""Settings read from the environment once, validated, and handed to the app factory."""

import os
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENVIRONMENTS = ("development", "testing", "production")
PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "dev", "development", "please-change"}
MIN_SECRET_LENGTH = 32
DEV_SECRET = "development-only-secret-not-for-production-use"  # noqa: S105 - refused in production
# A replayed refresh token is honoured this long after its first use (a lost response); longer would blunt the
# reuse detection that revokes a stolen token's family.
MAX_REFRESH_GRACE_SECONDS = 600


class ConfigError(RuntimeError):
    """The configuration cannot run the service."""


def _int(env: dict, name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc


def _bool(env: dict, name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def default_database_url(instance_path: str) -> str:
    """Return the embedded SQLite database under the instance folder."""
    return "sqlite:///" + os.path.join(instance_path, "inspect.db")


def from_environment(env: dict | None = None, *, instance_path: str = "instance") -> dict:
    """Build the settings mapping from environment variables."""
    env = dict(os.environ if env is None else env)
    environment = env.get("INSPECT_ENV", "development")
    return {
        "ENV_NAME": environment,
        "SECRET_KEY": env.get("SECRET_KEY", ""),
        "DATABASE_URL": env.get("DATABASE_URL") or default_database_url(instance_path),
        "REDIS_URL": env.get("REDIS_URL") or None,
        "ACCESS_TOKEN_TTL": timedelta(seconds=_int(env, "ACCESS_TOKEN_TTL_SECONDS", 900)),
        "REFRESH_TOKEN_TTL": timedelta(seconds=_int(env, "REFRESH_TOKEN_TTL_SECONDS", 14 * 86400)),
        "REFRESH_GRACE_SECONDS": _int(env, "REFRESH_GRACE_SECONDS", 120),
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 16 * 1024 * 1024),
        "LOGIN_ACCOUNT_MAX_FAILURES": _int(env, "LOGIN_ACCOUNT_MAX_FAILURES", 5),
        "LOGIN_ADDRESS_MAX_FAILURES": _int(env, "LOGIN_ADDRESS_MAX_FAILURES", 30),
        "LOGIN_WINDOW_SECONDS": _int(env, "LOGIN_WINDOW_SECONDS", 900),
        "LOGIN_LOCK_SECONDS": _int(env, "LOGIN_LOCK_SECONDS", 60),
        "LOGIN_LOCK_MAX_SECONDS": _int(env, "LOGIN_LOCK_MAX_SECONDS", 900),
        "PROXY_FIX_X_FOR": _int(env, "PROXY_FIX_X_FOR", 0),
        "PASSWORD_HASH_TIME_COST": _int(env, "PASSWORD_HASH_TIME_COST", 3),
        "PASSWORD_HASH_MEMORY_KIB": _int(env, "PASSWORD_HASH_MEMORY_KIB", 65536),
        "SCHEDULER_ENABLED": _bool(env, "SCHEDULER_ENABLED", True),
        "DEFAULT_TIMEZONE": env.get("DEFAULT_TIMEZONE", "Asia/Shanghai"),
        "PHOTO_MAX_BYTES": _int(env, "PHOTO_MAX_BYTES", 15 * 1024 * 1024),
        "STORAGE_BACKEND": env.get("STORAGE_BACKEND") or "local",
        "STORAGE_DIR": env.get("STORAGE_DIR") or os.path.join(instance_path, "storage"),
        "REPORT_SYNC_MAX_HAZARDS": _int(env, "REPORT_SYNC_MAX_HAZARDS", 2000),
        # The console's cookie is Secure on HTTPS requests anyway; set this behind a TLS-terminating proxy.
        "SESSION_COOKIE_SECURE": _bool(env, "SESSION_COOKIE_SECURE", environment == "production"),
        **_notification_settings(env),
        **_document_settings(env),
    }


def _notification_settings(env: dict) -> dict:
    """E-mail (off unless SMTP_HOST is set) and webhook delivery settings."""
    return {
        "SMTP_HOST": env.get("SMTP_HOST") or None,
        "SMTP_PORT": _int(env, "SMTP_PORT", 25),
        "SMTP_FROM": env.get("SMTP_FROM") or "inspect@localhost",
        "SMTP_USER": env.get("SMTP_USER") or "",
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD") or "",
        "SMTP_STARTTLS": _bool(env, "SMTP_STARTTLS", False),
        "SMTP_TIMEOUT": _int(env, "SMTP_TIMEOUT_SECONDS", 10),
        "WEBHOOK_TIMEOUT_SECONDS": _int(env, "WEBHOOK_TIMEOUT_SECONDS", 5),
    }


def _document_settings(env: dict) -> dict:
    """PDF documents: font files or the font cache, a template override directory, the public verify base."""
    return {
        "FONT_CACHE_DIR": env.get("FONT_CACHE_DIR") or None,
        "PDF_FONT_FILE": env.get("PDF_FONT_FILE") or None,
        "PDF_FONT_BOLD_FILE": env.get("PDF_FONT_BOLD_FILE") or None,
        "PDF_TEMPLATES_DIR": env.get("PDF_TEMPLATES_DIR") or None,
        "PUBLIC_BASE_URL": (env.get("PUBLIC_BASE_URL") or "http://localhost:5000").rstrip("/"),
    }


def validate(settings: dict) -> dict:
    """Check settings; fail fast on anything that cannot run safely."""
    environment = settings.get("ENV_NAME", "development")
    if environment not in ENVIRONMENTS:
        raise ConfigError(f"INSPECT_ENV must be one of {ENVIRONMENTS}, got {environment!r}")
    secret = settings.get("SECRET_KEY") or ""
    if environment == "production":
        if secret.strip().lower() in PLACEHOLDER_SECRETS or len(secret) < MIN_SECRET_LENGTH:
            raise ConfigError(
                f"SECRET_KEY must be set to a random value of at least {MIN_SECRET_LENGTH} characters in production"
            )
    elif not secret:
        settings["SECRET_KEY"] = DEV_SECRET
    try:
        ZoneInfo(settings.get("DEFAULT_TIMEZONE", "Asia/Shanghai"))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError("DEFAULT_TIMEZONE is not a known IANA time zone") from exc
    if not str(settings.get("DATABASE_URL", "")).startswith(("sqlite", "postgresql")):
        raise ConfigError("DATABASE_URL must be a sqlite:// or postgresql+psycopg:// URL")
    if not 0 <= settings.get("REFRESH_GRACE_SECONDS", 120) <= MAX_REFRESH_GRACE_SECONDS:
        raise ConfigError(f"REFRESH_GRACE_SECONDS must be between 0 and {MAX_REFRESH_GRACE_SECONDS}")
    access_ttl = settings.get("ACCESS_TOKEN_TTL")
    if access_ttl is not None and settings.get("REFRESH_GRACE_SECONDS", 120) > access_ttl.total_seconds():
        raise ConfigError("REFRESH_GRACE_SECONDS must not exceed ACCESS_TOKEN_TTL_SECONDS (a replayed pair expires)")
    if not 1 <= settings.get("WEBHOOK_TIMEOUT_SECONDS", 5) <= 5:
        raise ConfigError("WEBHOOK_TIMEOUT_SECONDS must be between 1 and 5 (a slow receiver holds the sweep)")
    _validate_files(settings)
    return settings


def _validate_files(settings: dict) -> None:
    """Check the upload cap and the storage backend."""
    from inspect_service.common.storage import BACKENDS

    if settings.get("PHOTO_MAX_BYTES", 1) <= 0:
        raise ConfigError("PHOTO_MAX_BYTES must be a positive number of bytes")
    if settings.get("STORAGE_BACKEND", "local") not in BACKENDS:
        raise ConfigError(f"STORAGE_BACKEND must be one of {sorted(BACKENDS)}")
