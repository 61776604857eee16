"""The figures of a progress report or bulletin as frozen dataclasses (computed by reports.metrics), and the
ranking weights and formulas printed with them. No database here: renderers import only this."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ESCALATION_TYPES = (
    "penalty_referral", "stop_work", "listed_supervision", "transfer", "interview", "bulletin", "closure_proposal",
)  # fmt: skip
NOTICE_KINDS = ("park", "third_party", "enforcement")
DEFAULT_WEIGHTS = {
    "overdue": 3.0, "false_closure": 5.0, "open_major": 5.0, "late_reply": 2.0, "refusal": 2.0,
    "liaison_coverage": 100.0, "liaison_overdue": 2.0, "liaison_recheck_day": 1.0,
}  # fmt: skip


@dataclass(frozen=True)
class Window:
    """What a report covers: the park, the local dates `start`..`end` (end = the report date), the filters."""

    park_id: uuid.UUID
    park_name: str
    park_short_name: str
    timezone: str
    start: date
    end: date
    denominator: str
    campaign_id: uuid.UUID | None = None
    campaign_name: str | None = None
    phase_id: uuid.UUID | None = None
    phase_name: str | None = None
    domain: str | None = None
    domains: tuple[str, ...] = ()
    enterprise_ids: tuple[uuid.UUID, ...] = ()

    @property
    def start_utc(self) -> datetime:
        """The first instant of `start` in the park's zone."""
        return datetime.combine(self.start, time(0), ZoneInfo(self.timezone)).astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        """The first instant after the end of `end` in the park's zone."""
        return datetime.combine(self.end + timedelta(days=1), time(0), ZoneInfo(self.timezone)).astimezone(UTC)


@dataclass(frozen=True)
class Tally:
    """Hazards found, rectified and the rate's denominator for one key (a level, source, domain or class)."""

    key: str
    found: int
    rectified: int
    denominator: int

    @property
    def rate(self) -> float | None:
        """Rectified / denominator (None when nothing is counted)."""
        return self.rectified / self.denominator if self.denominator else None


@dataclass(frozen=True)
class OverdueItem:
    """An open hazard past its deadline on the report date."""

    enterprise: str
    hazard_no: str
    description: str
    level: str
    deadline: date
    days_overdue: int
    liaison_officer: str


@dataclass(frozen=True)
class MajorItem:
    """A major hazard of the window."""

    enterprise: str
    hazard_no: str
    description: str
    status: str
    deadline: date | None
    rectified: bool
    is_listed: bool
    stop_order_active: bool


@dataclass(frozen=True)
class MajorSummary:
    """Major hazards found, rectified, listed (挂牌督办), delisted (摘牌销号) and still open."""

    found: int
    rectified: int
    listed: int
    delisted: int
    open: int


@dataclass(frozen=True)
class Coverage:
    """Enterprises in scope and inspected, visits (家次), campaign tasks planned and done."""

    enterprises: int
    inspected: int
    visits: int
    tasks_planned: int
    tasks_done: int

    @property
    def rate(self) -> float | None:
        """Inspected / in scope."""
        return self.inspected / self.enterprises if self.enterprises else None


@dataclass(frozen=True)
class SelfCheckSummary:
    """Monthly self-check reports due in the window: on time, late, missing (the rest are not yet due)."""

    due: int
    on_time: int
    late: int
    missing: int

    @property
    def rate(self) -> float | None:
        """On time / due."""
        return self.on_time / self.due if self.due else None


@dataclass(frozen=True)
class EnterpriseRank:
    """An enterprise's counts in the window and its score (higher is worse)."""

    enterprise_id: uuid.UUID
    enterprise: str
    overdue: int
    false_closures: int
    open_majors: int
    late_replies: int
    refusals: int
    score: float


@dataclass(frozen=True)
class LiaisonRank:
    """A liaison officer's portfolio figures in the window and score (higher is better)."""

    user_id: uuid.UUID
    officer: str
    enterprises: int
    inspected: int
    overdue: int
    rechecks: int
    avg_recheck_days: float | None
    tasks_assigned: int
    tasks_done: int
    score: float

    @property
    def coverage(self) -> float | None:
        """Portfolio enterprises inspected in the window / portfolio size."""
        return self.inspected / self.enterprises if self.enterprises else None


@dataclass(frozen=True)
class ReportMetrics:
    """Every figure of a progress report or supervision bulletin."""

    window: Window
    coverage: Coverage
    total: Tally
    by_level: tuple[Tally, ...]
    by_source: tuple[Tally, ...]
    by_domain: tuple[Tally, ...]
    by_class: tuple[Tally, ...]
    overdue: tuple[OverdueItem, ...]
    majors: MajorSummary
    major_list: tuple[MajorItem, ...]
    escalations: tuple[tuple[str, int], ...]  # (escalation_type, hazards escalated in the window)
    notices: tuple[tuple[str, int], ...]  # (issuer kind, hazards served a notice in the window)
    documents: tuple[tuple[str, int], ...]  # (document type[.variant], documents issued in the window)
    self_checks: SelfCheckSummary
    enterprise_ranking: tuple[EnterpriseRank, ...]  # worst first
    liaison_ranking: tuple[LiaisonRank, ...]  # best first
    enterprise_formula: str
    liaison_formula: str


def _w(value: float) -> str:
    return f"{value:g}"


def enterprise_formula(w: dict) -> str:
    """The enterprise score as printed under the ranking."""
    return (
        f"得分 = 逾期隐患数×{_w(w['overdue'])} + 虚假销号数×{_w(w['false_closure'])} + "
        f"未整改重大隐患数×{_w(w['open_major'])} + 逾期完成整改数×{_w(w['late_reply'])} + "
        f"拒签次数×{_w(w['refusal'])}；得分越高排名越靠后"
    )


def liaison_formula(w: dict) -> str:
    """The liaison officer score as printed under the ranking."""
    return (
        f"得分 = 检查覆盖率×{_w(w['liaison_coverage'])} − 包保企业逾期隐患数×{_w(w['liaison_overdue'])} − "
        f"平均复查天数×{_w(w['liaison_recheck_day'])}；得分越高排名越靠前"
    )
