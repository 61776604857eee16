"""Document numbers: one counter per (park, type, year), formatted from a configurable pattern."""

from sqlmodel import Session

from inspect_service.common import counters
from inspect_service.parks.models import Park

DEFAULT_PATTERN = "（{park_short}）安整〔{year}〕{seq:04d}号"
# Enforcement orders follow the authority's own series (DOMAIN.md §5.1), so they count apart.
SEPARATE_SERIES = {("notice", "enforcement")}


def counter_kind(doc_type: str, variant: str) -> str:
    """The counter row's kind: one series per document type (and per separately numbered variant)."""
    return f"doc:{doc_type}:{variant}" if (doc_type, variant) in SEPARATE_SERIES else f"doc:{doc_type}"


def pattern_for(park: Park, doc_type: str, variant: str, template: dict) -> str:
    """The park's own pattern (settings.document_number_patterns) or the template's."""
    own = (park.settings or {}).get("document_number_patterns") or {}
    variant_tpl = (template.get("variants") or {}).get(variant) or {}
    return (
        own.get(f"{doc_type}:{variant}")
        or own.get(doc_type)
        or variant_tpl.get("number_pattern")
        or template.get("number_pattern")
        or DEFAULT_PATTERN
    )


def format_number(pattern: str, *, park_short: str, year: int, seq: int) -> str:
    """Fill the pattern; a broken pattern falls back to the default rather than failing an issue."""
    try:
        return pattern.format(park_short=park_short, year=year, seq=seq)
    except (KeyError, IndexError, ValueError):
        return DEFAULT_PATTERN.format(park_short=park_short, year=year, seq=seq)


def allocate(session: Session, *, park: Park, doc_type: str, variant: str, year: int, template: dict):
    """Take the next number of the series in the caller's transaction: (number, seq, counter kind)."""
    kind = counter_kind(doc_type, variant)
    seq = counters.allocate(session, park_id=park.id, kind=kind, year=year)
    park_short = (park.settings or {}).get("park_abbr") or park.short_name
    number = format_number(pattern_for(park, doc_type, variant, template), park_short=park_short, year=year, seq=seq)
    return number, seq, kind
