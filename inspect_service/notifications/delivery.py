"""Sending one message: signed webhook calls over HTTP and e-mail over SMTP (no database here)."""

import hashlib
import hmac
import smtplib
import urllib.error
import urllib.request
from email.message import EmailMessage

SIGNATURE_HEADER = "X-Inspect-Signature"
TIMESTAMP_HEADER = "X-Inspect-Timestamp"
DELIVERY_HEADER = "X-Inspect-Delivery"


class DeliveryFailed(Exception):
    """A send did not succeed; `status_code` is the receiver's answer when there was one."""

    def __init__(self, message: str, status_code: int | None = None):
        super().__init__(message)
        self.status_code = status_code


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>."""
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer other than 2xx: a failure, never a second POST somewhere else."""

    def redirect_request(self, *_args, **_kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def post_webhook(*, url: str, secret: str, delivery_id: str, body: bytes, timestamp: int, timeout: float) -> int:
    """POST the signed JSON body; return the 2xx status or raise DeliveryFailed."""
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 - http(s) only, checked on input
    request.add_header("Content-Type", "application/json; charset=utf-8")
    request.add_header("User-Agent", "inspect_service-webhooks/1")
    request.add_header(TIMESTAMP_HEADER, str(timestamp))
    request.add_header(SIGNATURE_HEADER, sign(secret, timestamp, body))
    request.add_header(DELIVERY_HEADER, delivery_id)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read(65536)
            status = response.status
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(f"receiver answered {exc.code}", exc.code) from exc
    except (OSError, ValueError) as exc:  # URLError, timeouts, refused connections, bad URLs
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
    if not 200 <= status < 300:
        raise DeliveryFailed(f"receiver answered {status}", status)
    return status


def send_email(*, settings: dict, to: str, subject: str, body: str) -> None:
    """Send a plain-text UTF-8 message through the configured SMTP server or raise DeliveryFailed."""
    message = EmailMessage()
    message["From"] = settings["SMTP_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(settings["SMTP_HOST"], settings["SMTP_PORT"], timeout=settings["SMTP_TIMEOUT"]) as smtp:
            if settings["SMTP_STARTTLS"]:
                smtp.starttls()
            if settings["SMTP_USER"]:
                smtp.login(settings["SMTP_USER"], settings["SMTP_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
