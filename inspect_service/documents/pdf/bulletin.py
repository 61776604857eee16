"""Progress reports (进度报告) and supervision bulletins (督查通报): ReportMetrics in, PDF bytes out.

Structure (DOMAIN.md §6.2): overview, hazards (tables and charts), enforcement, problems and rankings, next
steps; annexes: the overdue list and the major-hazard list. Wording comes from pdf_templates/bulletin.yaml,
with progress_report.yaml laid over it for progress reports.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak

from inspect_service.documents import templates
from inspect_service.documents.pdf import charts
from inspect_service.documents.pdf.base import (
    PageMarks,
    grid_table,
    para,
    spacer,
)
from inspect_service.documents.pdf.longtable import LazyTable, RowView, build_long_pdf
from inspect_service.reports.figures import ReportMetrics, Tally

KINDS = ("progress_report", "supervision_bulletin")


@dataclass(frozen=True)
class BulletinView:
    """What the renderer needs: the figures, which report, and where its wording comes from."""

    metrics: ReportMetrics
    kind: str = "supervision_bulletin"
    templates_dir: str | None = None


def wording(kind: str, templates_dir: str | None = None) -> dict:
    """The report's wording: bulletin.yaml, with progress_report.yaml over it for progress reports."""
    tpl = templates.load("bulletin", templates_dir)
    if kind == "progress_report":
        tpl = templates.merge(tpl, templates.load("progress_report", templates_dir))
    return tpl


def cn_date(day: date) -> str:
    """2026年8月25日."""
    return f"{day.year}年{day.month}月{day.day}日"


def percent(value: float | None) -> str:
    """A rate as printed (— when there is nothing to count)."""
    return "—" if value is None else f"{value * 100:.1f}%"


def values(m: ReportMetrics, tpl: dict) -> dict:
    """Placeholder values for the report's wording."""
    w = m.window
    return {
        "park_name": w.park_name,
        "park_short": w.park_short_name,
        "campaign": w.campaign_name or "",
        "phase": f"（{w.phase_name}）" if w.phase_name else "",
        "start": cn_date(w.start),
        "end": cn_date(w.end),
        "end_compact": w.end.strftime("%m%d"),
        "year": w.end.year,
        "domain": tpl["domains"].get(w.domain, w.domain) if w.domain else tpl["whole_park"],
        "enterprises": m.coverage.enterprises,
        "inspected": m.coverage.inspected,
        "coverage": percent(m.coverage.rate),
        "visits": m.coverage.visits,
        "tasks_planned": m.coverage.tasks_planned,
        "tasks_done": m.coverage.tasks_done,
        "found": m.total.found,
        "rectified": m.total.rectified,
        "rate": percent(m.total.rate),
        "major_found": m.majors.found,
        "major_rectified": m.majors.rectified,
        "major_listed": m.majors.listed,
        "major_delisted": m.majors.delisted,
        "major_open": m.majors.open,
        "overdue": len(m.overdue),
        "self_checks_due": m.self_checks.due,
        "self_checks_on_time": m.self_checks.on_time,
        "self_checks_late": m.self_checks.late,
        "self_checks_missing": m.self_checks.missing,
        "limit": tpl["ranking_limit"],
    }


def _text(wording: str, vals: dict, style: str = "body"):
    return para(templates.fill(wording, vals), style)


def _tally_rows(tallies: Sequence[Tally], names, total: Tally, total_label: str) -> list[list[str]]:
    """One row per key, then the total (every dimension partitions the same hazards)."""
    rows = [[names(t.key), str(t.found), str(t.rectified), str(t.denominator), percent(t.rate)] for t in tallies]
    if tallies:
        rows.append([total_label, str(total.found), str(total.rectified), str(total.denominator), percent(total.rate)])
    return rows


def long_table(header: Sequence[str], rows: Sequence[Sequence], widths: Sequence[float]) -> list:
    """A ruled table of any length (see longtable.py)."""
    return [LazyTable(header, rows, widths)]


def _overview(m: ReportMetrics, tpl: dict, vals: dict) -> list:
    return [
        _text(tpl["sections"]["overview"], vals, "heading"),
        _text(tpl["overview"], vals, "indent"),
        _text(tpl["denominator"][m.window.denominator], vals, "small"),
    ]


def _hazards(m: ReportMetrics, tpl: dict, vals: dict) -> list:
    story = [_text(tpl["sections"]["hazards"], vals, "heading"), _text(tpl["hazards_lead"], vals, "indent")]
    widths = (0.3, 0.175, 0.175, 0.175, 0.175)
    dims = (
        ("level", m.by_level, lambda k: tpl["levels"].get(k, k)),
        ("source", m.by_source, lambda k: tpl["sources"].get(k, k)),
        ("domain", m.by_domain, lambda k: tpl["domains"].get(k, k)),
        ("class", m.by_class, lambda k: templates.fill(tpl["class_name"], {"n": k})),
    )
    for name, tallies, names in dims:
        rows = _tally_rows(tallies, names, m.total, tpl["total"]) or [[tpl["none"], "", "", "", ""]]
        story += [_text(tpl["tables"][name], vals, "body"), grid_table(tpl["tally_columns"], rows, widths)]
        story.append(spacer(2))
    if m.total.found:
        domains = [d for d in m.by_domain if d.found]
        bars = charts.bar_chart(
            [tpl["domains"].get(d.key, d.key) for d in domains],
            [[d.found for d in domains], [d.rectified for d in domains]],
            [tpl["charts"]["found"], tpl["charts"]["rectified"]],
        )
        story.append(KeepTogether([bars, _text(tpl["charts"]["domain"], vals, "small")]))
        pie = charts.pie_chart([tpl["sources"].get(s.key, s.key) for s in m.by_source], [s.found for s in m.by_source])
        story.append(KeepTogether([pie, _text(tpl["charts"]["source"], vals, "small")]))
    return story


def _enforcement(m: ReportMetrics, tpl: dict, vals: dict) -> list:
    escalations = [[tpl["escalations"].get(k, k), str(n)] for k, n in m.escalations]
    notices = [[tpl["notices"].get(k, k), str(n)] for k, n in m.notices]
    documents = [[tpl["documents"].get(k, k), str(n)] for k, n in m.documents] or [[tpl["none"], ""]]
    return [
        _text(tpl["sections"]["enforcement"], vals, "heading"),
        _text(tpl["enforcement_lead"], vals, "indent"),
        grid_table(tpl["document_columns"], documents, (0.6, 0.4)),
        spacer(2),
        grid_table(tpl["notice_columns"], notices, (0.6, 0.4)),
        spacer(2),
        grid_table(tpl["escalation_columns"], escalations, (0.6, 0.4)),
    ]


def _problems(m: ReportMetrics, tpl: dict, vals: dict) -> list:
    limit = int(tpl["ranking_limit"])
    worst = m.enterprise_ranking[:limit]
    rows = [
        [str(i), r.enterprise, str(r.overdue), str(r.false_closures), str(r.open_majors), str(r.late_replies),
         str(r.refusals), f"{r.score:g}"]
        for i, r in enumerate(worst, start=1)
    ]  # fmt: skip
    story = [_text(tpl["sections"]["problems"], vals, "heading"), _text(tpl["problems_lead"], vals, "indent")]
    story.append(_text(tpl["enterprise_ranking"], vals, "body"))
    story += long_table(tpl["enterprise_columns"], rows, (0.07, 0.33, 0.1, 0.1, 0.1, 0.1, 0.08, 0.12))
    story += [para(m.enterprise_formula, "small"), spacer(2), _text(tpl["liaison_ranking"], vals, "body")]
    rows = [
        [str(i), r.officer, str(r.enterprises), str(r.inspected), percent(r.coverage), str(r.overdue),
         "—" if r.avg_recheck_days is None else f"{r.avg_recheck_days:.1f}", f"{r.score:.1f}"]
        for i, r in enumerate(m.liaison_ranking, start=1)
    ]  # fmt: skip
    story += long_table(tpl["liaison_columns"], rows, (0.07, 0.2, 0.11, 0.1, 0.11, 0.11, 0.17, 0.13))
    story.append(para(m.liaison_formula, "small"))
    return story


def _annexes(m: ReportMetrics, tpl: dict, vals: dict) -> list:
    yes, no = tpl["mark_yes"], tpl["mark_no"]
    overdue = RowView(
        m.overdue,
        lambda i, o: [str(i + 1), o.enterprise, o.hazard_no, o.description, o.deadline.isoformat(),
                      str(o.days_overdue), o.liaison_officer],
    )  # fmt: skip
    majors = RowView(
        m.major_list,
        lambda i, h: [str(i + 1), h.enterprise, h.hazard_no, h.description, tpl["statuses"].get(h.status, h.status),
                      h.deadline.isoformat() if h.deadline else "—", yes if h.is_listed else no],
    )  # fmt: skip
    story = [PageBreak(), _text(tpl["annexes"]["overdue"], vals, "heading")]
    widths = (0.06, 0.19, 0.15, 0.3, 0.11, 0.07, 0.12)
    story += long_table(tpl["overdue_columns"], overdue, widths) if m.overdue else [para(tpl["none"])]
    story += [CondPageBreak(60), spacer(4), _text(tpl["annexes"]["major"], vals, "heading")]
    widths = (0.06, 0.2, 0.15, 0.31, 0.1, 0.11, 0.07)
    story += long_table(tpl["major_columns"], majors, widths) if m.major_list else [para(tpl["none"])]
    return story


def render_bulletin(view: BulletinView) -> bytes:
    """Render a progress report or supervision bulletin to PDF bytes."""
    m = view.metrics
    tpl = wording(view.kind, view.templates_dir)
    vals = values(m, tpl)
    story = [_text(tpl["title"], vals, "title"), _text(tpl["heading"], vals, "number")]
    story += [_text(tpl["period"], vals, "number"), _text(tpl["domain_line"], vals, "number")]
    story += _overview(m, tpl, vals) + _hazards(m, tpl, vals) + _enforcement(m, tpl, vals) + _problems(m, tpl, vals)
    story.append(_text(tpl["sections"]["next_steps"], vals, "heading"))
    story += [_text(step, vals, "indent") for step in tpl["next_steps"]]
    story += [spacer(6), _text(tpl["issuer"], vals, "right"), _text(tpl["date_line"], vals, "right")]
    story += _annexes(m, tpl, vals)
    marks = PageMarks(number=templates.fill(tpl["reference"], vals), title=templates.fill(tpl["running_title"], vals))
    return build_long_pdf(story, marks, subject=templates.fill(tpl["title"], vals), author=m.window.park_name)
