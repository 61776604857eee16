"""Pieces every issued document shares: letterhead, title and number, verification QR, copies clause, dates."""

from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Table

from inspect_service.documents import templates
from inspect_service.documents.pdf.base import FRAME_WIDTH, escape, markup, para, qr_code, spacer, table_style
from inspect_service.documents.pdf.views import Header


def cn_date(value: str | date | None, common: dict) -> str:
    """2026-11-22 → 2026年11月22日 (blank line when missing)."""
    if not value:
        return "____年__月__日"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return templates.fill(common["date_format"], {"year": day.year, "month": day.month, "day": day.day})


def cn_datetime(value: str | None, common: dict) -> str:
    """An ISO local datetime to the minute: 2026年11月22日9时05分."""
    if not value:
        return "____年__月__日__时__分"
    at = datetime.fromisoformat(value)
    values = {"year": at.year, "month": at.month, "day": at.day, "hour": at.hour, "minute": at.minute}
    return templates.fill(common["datetime_format"], values)


def values_of(header: Header, **extra) -> dict:
    """Placeholder values every template may use."""
    return {
        "issuer_name": header.issuer_name,
        "enterprise_name": header.enterprise_name,
        "number": header.number,
        "supersedes_number": header.supersedes_number,
        **extra,
    }


def text(wording: str | None, values: dict, style: str = "body"):
    """Template wording with its placeholders filled, rendered literally."""
    return para(templates.fill(wording or "", values), style)


def head(header: Header, tpl: dict, common: dict, *, title: str, pre_title: str = "") -> list:
    """Letterhead, optional pre-title line, title, number, and the correction note."""
    values = values_of(header)
    story = [text(common["letterhead"], values, "letterhead")]
    if pre_title:
        story.append(para(pre_title, "number"))
    story += [para(title, "title"), para(header.number, "number")]
    if header.supersedes_number:
        story.append(text(common["superseded_note"], values, "small"))
    return story


def tail(header: Header, tpl: dict, common: dict, *, with_qr: bool = True) -> list:
    """Issue date, copies clause and the verification QR code (beside its caption)."""
    right = [para(cn_date(header.issued_on, common), "right")]
    if tpl.get("copies"):
        right.append(spacer(2))
        right.append(text(tpl["copies"], values_of(header), "small"))
    if not (with_qr and header.verify_url):
        return [spacer(4), *right]
    caption = markup(f"{escape(common['verify_caption'])}<br/>{escape(header.number)}", "small")
    qr = Table([[qr_code(header.verify_url, 24), caption]], colWidths=[28 * mm, FRAME_WIDTH * 0.45])
    qr.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    block = Table([[qr, right]], colWidths=[FRAME_WIDTH * 0.55, FRAME_WIDTH * 0.45])
    block.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return [spacer(4), block]


def signer_line(signer, with_cert: bool) -> str:
    """A printed signer: name, and the certificate number when the document requires it."""
    return f"{signer.name}（证号：{signer.cert_no}）" if with_cert and signer.cert_no else signer.name
