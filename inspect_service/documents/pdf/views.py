"""Frozen view-models: everything a renderer prints, as plain values (dates as ISO text), JSON-round-trippable."""

import dataclasses
import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Signer:
    """A person who signs: name, role, certificate number when the document needs one."""

    name: str
    role: str = ""
    cert_no: str = ""


@dataclass(frozen=True)
class Header:
    """What every document carries: type, number, issuer, enterprise, dates, verification link."""

    doc_type: str
    variant: str
    number: str
    issuer_name: str
    enterprise_name: str
    issued_on: str
    enterprise_address: str = ""
    enterprise_principal: str = ""
    verify_url: str = ""
    supersedes_number: str = ""


@dataclass(frozen=True)
class NoticeItem:
    """One hazard on a notice, with its own deadline (None → immediate)."""

    seq: int
    hazard_no: str
    description: str
    location: str = ""
    legal_basis: str = ""
    level: str = "general"
    deadline: str | None = None


@dataclass(frozen=True)
class NoticeView:
    """A rectification notice of one variant (park, third_party, enforcement)."""

    header: Header
    items: tuple[NoticeItem, ...]
    recheck_date: str
    inspectors: tuple[Signer, ...]
    inspected_on: str = ""
    commissioned_by: str = ""
    authority: str = ""
    review_authority: str = ""
    court: str = ""
    note: str = ""


@dataclass(frozen=True)
class RecheckItem:
    """One hazard rechecked: passed or not, what was found, the new deadline when not."""

    seq: int
    hazard_no: str
    description: str
    passed: bool
    note: str = ""
    new_deadline: str | None = None


@dataclass(frozen=True)
class RecheckView:
    """A recheck opinion citing its notice."""

    header: Header
    notice_number: str
    notice_date: str
    items: tuple[RecheckItem, ...]
    inspectors: tuple[Signer, ...]


@dataclass(frozen=True)
class RecordLine:
    """One check item of an inspection record: its text, what was found, the hazard number if any."""

    item: str
    finding: str = ""
    hazard_no: str = ""


@dataclass(frozen=True)
class InspectionRecordView:
    """An on-site inspection record (现场检查记录)."""

    header: Header
    place: str
    started_at: str
    ended_at: str
    methods: tuple[str, ...]
    findings: tuple[RecordLine, ...]
    passed: tuple[RecordLine, ...]
    inspectors: tuple[Signer, ...]
    site_rep: Signer
    site_rep_refused: bool = False
    witness: str = ""
    note: str = ""


@dataclass(frozen=True)
class ReceiptView:
    """A receipt for a served document (送达回执)."""

    header: Header
    document_title: str
    document_number: str
    recipient: Signer
    received_at: str
    method: str
    refused: bool = False
    witness: str = ""
    served_by: str = ""


@dataclass(frozen=True)
class RemediationPlanView:
    """A major hazard's six-part remediation plan."""

    header: Header
    hazard_no: str
    description: str
    location: str
    criterion: str
    parts: dict = field(default_factory=dict)
    principal: str = ""


@dataclass(frozen=True)
class LevelCount:
    """Found / rectified / overdue for one level (or the total)."""

    level: str
    found: int
    rectified: int
    overdue: int


@dataclass(frozen=True)
class MajorLine:
    """A major hazard and its status, for the statistics table."""

    hazard_no: str
    description: str
    status: str
    listed: bool


@dataclass(frozen=True)
class StatisticsView:
    """An enterprise's quarterly or annual hazard statistics, for the principal's signature."""

    header: Header
    year: int
    quarter: int | None
    due_date: str
    checks: tuple[tuple[str, int], ...]
    levels: tuple[LevelCount, ...]
    majors: tuple[MajorLine, ...]
    funds: str
    principal: str = ""


VIEWS = {
    "notice": NoticeView,
    "recheck_opinion": RecheckView,
    "inspection_record": InspectionRecordView,
    "receipt": ReceiptView,
    "remediation_plan": RemediationPlanView,
    "statistics": StatisticsView,
}


def to_json(view) -> dict:
    """The view-model as JSON-safe data (frozen into the document row)."""
    return json.loads(json.dumps(dataclasses.asdict(view), ensure_ascii=False))


def canonical(view) -> bytes:
    """A canonical serialisation, hashed into the verification link."""
    return json.dumps(dataclasses.asdict(view), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _build(cls, data):
    if not dataclasses.is_dataclass(cls):
        return data
    hints = {f.name: f.type for f in dataclasses.fields(cls)}
    kwargs = {}
    for name, value in data.items():
        kind = hints.get(name)
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            value = _build(kind, value)
        elif getattr(kind, "__origin__", None) is tuple and isinstance(value, list):
            inner = kind.__args__[0]
            value = tuple(_build(inner, v) if dataclasses.is_dataclass(inner) else _tuple(v) for v in value)
        kwargs[name] = value
    return cls(**kwargs)


def _tuple(value):
    return tuple(value) if isinstance(value, list) else value


def from_json(doc_type: str, data: dict):
    """Rebuild a frozen view-model from its stored JSON (re-rendering gives the same bytes)."""
    return _build(VIEWS[doc_type], data)
