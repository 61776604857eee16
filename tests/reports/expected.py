"""The report's figures computed again in plain Python over the seeded rows (no SQL), to check the queries."""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

RUNNING = ("registered", "notice_issued", "rectifying", "extension_requested")


class Expected:
    """Figures for a window [start, end] (local dates) over `seed`, optionally one domain."""

    def __init__(self, seed, start: date, end: date, *, denominator: str, domain: str | None = None):
        zone = ZoneInfo(seed.park.timezone)
        self.seed, self.start, self.end, self.denominator = seed, start, end, denominator
        self.start_utc = datetime.combine(start, time(0), zone).astimezone(UTC)
        self.end_utc = datetime.combine(end + timedelta(days=1), time(0), zone).astimezone(UTC)
        self.domain = domain
        self.hazards = [h for h in seed.hazards if self._counts(h)]
        self.names = {e.id: e.name for e in seed.enterprises}

    def _counts(self, h) -> bool:
        found = h.found_at or h.created_at
        return (
            h.park_id == self.seed.park.id
            and h.status != "voided"
            and self.start_utc <= found < self.end_utc
            and (self.domain is None or h.domain == self.domain)
        )

    def rectified(self, h) -> bool:
        return h.status == "closed" and h.closed_at < self.end_utc

    def due(self, h) -> bool:
        return self.rectified(h) or h.rectify_mode == "immediate" or (h.deadline is not None and h.deadline <= self.end)

    def overdue(self, h) -> bool:
        running = h.status in RUNNING or h.status == "closed"
        return not self.rectified(h) and running and h.deadline is not None and h.deadline < self.end

    def tally(self, hazards) -> tuple[int, int, int]:
        found = len(hazards)
        rectified = sum(1 for h in hazards if self.rectified(h))
        denominator = found if self.denominator == "all" else sum(1 for h in hazards if self.due(h))
        return found, rectified, denominator

    def by(self, key) -> dict:
        groups = defaultdict(list)
        for h in self.hazards:
            groups[str(key(h))].append(h)
        return {k: self.tally(v) for k, v in groups.items()}

    def overdue_numbers(self) -> list[str]:
        return sorted(h.hazard_no for h in self.hazards if self.overdue(h))

    def majors(self) -> tuple[int, int, int, int, int]:
        majors = [h for h in self.hazards if h.level == "major"]
        rectified = sum(1 for h in majors if self.rectified(h))
        listed = sum(1 for h in majors if h.is_listed)
        delisted = sum(1 for h in majors if self.rectified(h) and h.closure_type == "delisted")
        return len(majors), rectified, listed, delisted, len(majors) - rectified

    def _events(self, action: str) -> list:
        by_id = {h.id: h for h in self.seed.hazards}
        return [
            e for e in self.seed.events
            if e.action == action and self.start_utc <= e.at < self.end_utc
            and (self.domain is None or by_id[e.hazard_id].domain == self.domain)
            and e.park_id == self.seed.park.id
        ]  # fmt: skip

    def by_payload(self, action: str, key: str) -> dict:
        hazards = defaultdict(set)
        for e in self._events(action):
            hazards[e.payload[key]].add(e.hazard_id)
        return {k: len(v) for k, v in hazards.items()}

    def documents(self) -> dict:
        """`type[.variant]` -> documents issued in the window (with a domain: naming a hazard of it)."""
        counts = defaultdict(int)
        for d in self.seed.documents:
            named = self.seed.document_hazards[d.id]
            if not self.start_utc <= d.issued_at < self.end_utc:
                continue
            if self.domain is not None and not any(h.domain == self.domain for h in named):
                continue
            counts[f"{d.doc_type}.{d.variant}" if d.variant else d.doc_type] += 1
        return dict(counts)

    def self_checks(self) -> tuple[int, int, int, int]:
        """(due, on time, late, missing) of the reports due in the window, on the report date."""
        due = [r for r in self.seed.self_check_reports if self.start <= r.due_date <= self.end]
        submitted = [r for r in due if r.first_submitted_at is not None and r.first_submitted_at < self.end_utc]
        missing = [r for r in due if r not in submitted and r.due_date < self.end]
        return len(due), sum(not r.late for r in submitted), sum(r.late for r in submitted), len(missing)

    def coverage(self) -> tuple[int, int, int]:
        visits = [
            i for i in self.seed.inspections
            if i.source != "self_check" and self.start_utc <= i.started_at < self.end_utc
        ]  # fmt: skip
        return len(self.seed.enterprises), len({i.enterprise_id for i in visits}), len(visits)

    def enterprise_counts(self) -> dict:
        """Enterprise name -> (overdue, false closures, open majors, late replies, refusals), nonzero only."""
        by_id = {h.id: h for h in self.seed.hazards}
        counts = defaultdict(lambda: [0, 0, 0, 0, 0])
        for h in self.hazards:
            c = counts[h.enterprise_id]
            c[0] += self.overdue(h)
            c[1] += h.false_closure
            c[2] += h.level == "major" and not self.rectified(h)
        for e in self._events("submit_reply"):
            deadline = by_id[e.hazard_id].deadline
            if deadline is not None and e.payload["completed_on"] > deadline.isoformat():
                counts[e.enterprise_id][3] += 1
        for e in self._events("record_refusal"):
            counts[e.enterprise_id][4] += 1
        return {self.names[k]: tuple(v) for k, v in counts.items() if any(v)}

    def liaison(self, officer) -> tuple[int, int, int, int, float | None]:
        """(portfolio size, inspected, overdue, rechecks, average days from reply to recheck)."""
        portfolio = {e.id for e in self.seed.enterprises[self.seed.liaisons.index(officer) * 3 :][:3]}
        inspected = {
            i.enterprise_id for i in self.seed.inspections
            if i.source != "self_check" and self.start_utc <= i.started_at < self.end_utc
        } & portfolio  # fmt: skip
        overdue = sum(1 for h in self.hazards if h.enterprise_id in portfolio and self.overdue(h))
        waits = []
        for action in ("recheck_pass", "recheck_fail"):
            for e in self._events(action):
                if e.enterprise_id not in portfolio:
                    continue
                replies = [
                    r.at
                    for r in self.seed.events
                    if r.hazard_id == e.hazard_id and r.action == "submit_reply" and r.at <= e.at
                ]
                if replies:
                    waits.append((e.at - max(replies)).total_seconds() / 86400)
        return len(portfolio), len(inspected), overdue, len(waits), (sum(waits) / len(waits) if waits else None)
