"""The report's tables as an Excel workbook (openpyxl write-only), the same figures as the PDF."""

import io

from openpyxl import Workbook

from inspect_service.documents import templates
from inspect_service.documents.pdf.bulletin import cn_date, percent, wording
from inspect_service.hazards.export import _safe
from inspect_service.reports.figures import ReportMetrics

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(workbook: Workbook, title: str, header, rows) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(list(header))
    for row in rows:
        sheet.append([_safe(value) for value in row])


def _summary(m: ReportMetrics, tpl: dict) -> list[tuple]:
    w = m.window
    return [
        ("园区", w.park_name),
        ("专项行动", w.campaign_name or ""),
        ("阶段", w.phase_name or ""),
        ("统计期间", f"{cn_date(w.start)}至{cn_date(w.end)}"),
        ("统计范围", tpl["domains"].get(w.domain, w.domain) if w.domain else tpl["whole_park"]),
        ("整改率口径", tpl["denominator"][w.denominator]),
        ("在册企业（家）", m.coverage.enterprises),
        ("已检查企业（家）", m.coverage.inspected),
        ("检查覆盖率", percent(m.coverage.rate)),
        ("检查（家次）", m.coverage.visits),
        ("计划检查任务（项）", m.coverage.tasks_planned),
        ("完成检查任务（项）", m.coverage.tasks_done),
        ("排查隐患（项）", m.total.found),
        ("已整改（项）", m.total.rectified),
        ("应整改（项）", m.total.denominator),
        ("整改率", percent(m.total.rate)),
        ("逾期未整改（项）", len(m.overdue)),
        ("重大隐患（项）", m.majors.found),
        ("重大隐患已整改（项）", m.majors.rectified),
        ("挂牌督办（项）", m.majors.listed),
        ("摘牌销号（项）", m.majors.delisted),
        ("重大隐患未整改（项）", m.majors.open),
        ("自查月报应报（份）", m.self_checks.due),
        ("自查月报按时报送（份）", m.self_checks.on_time),
        ("自查月报逾期报送（份）", m.self_checks.late),
        ("自查月报未报送（份）", m.self_checks.missing),
        ("企业排名计分", m.enterprise_formula),
        ("蹲点干部排名计分", m.liaison_formula),
    ]


def _tallies(tallies, names) -> list[list]:
    return [[names(t.key), t.found, t.rectified, t.denominator, percent(t.rate)] for t in tallies]


def write_workbook(metrics: ReportMetrics, *, kind: str = "supervision_bulletin", templates_dir=None) -> bytes:
    """Every table of the report as one sheet each; text that could run as a formula is quoted."""
    m, tpl = metrics, wording(kind, templates_dir)
    names = tpl["workbook"]
    workbook = Workbook(write_only=True)
    _sheet(workbook, names["summary"], names["summary_columns"], _summary(m, tpl))
    dims = (
        ("level", m.by_level, lambda k: tpl["levels"].get(k, k)),
        ("source", m.by_source, lambda k: tpl["sources"].get(k, k)),
        ("domain", m.by_domain, lambda k: tpl["domains"].get(k, k)),
        ("class", m.by_class, lambda k: templates.fill(tpl["class_name"], {"n": k})),
    )
    for key, tallies, label in dims:
        _sheet(workbook, names[key], tpl["tally_columns"], _tallies(tallies, label))
    overdue = [
        [i, o.enterprise, o.hazard_no, o.description, o.deadline, o.days_overdue, o.liaison_officer]
        for i, o in enumerate(m.overdue, start=1)
    ]
    _sheet(workbook, names["overdue"], tpl["overdue_columns"], overdue)
    majors = [
        [i, h.enterprise, h.hazard_no, h.description, tpl["statuses"].get(h.status, h.status), h.deadline,
         tpl["mark_yes"] if h.is_listed else tpl["mark_no"]]
        for i, h in enumerate(m.major_list, start=1)
    ]  # fmt: skip
    _sheet(workbook, names["major"], tpl["major_columns"], majors)
    enforcement = [[tpl["documents"].get(k, k), n] for k, n in m.documents]
    enforcement += [[tpl["notices"].get(k, k), n] for k, n in m.notices]
    enforcement += [[tpl["escalations"].get(k, k), n] for k, n in m.escalations]
    _sheet(workbook, names["enforcement"], names["enforcement_columns"], enforcement)
    ranking = [
        [i, r.enterprise, r.overdue, r.false_closures, r.open_majors, r.late_replies, r.refusals, r.score]
        for i, r in enumerate(m.enterprise_ranking, start=1)
    ]
    _sheet(workbook, names["enterprise_ranking"], tpl["enterprise_columns"], ranking)
    liaisons = [
        [i, r.officer, r.enterprises, r.inspected, percent(r.coverage), r.overdue,
         None if r.avg_recheck_days is None else round(r.avg_recheck_days, 2), round(r.score, 2)]
        for i, r in enumerate(m.liaison_ranking, start=1)
    ]  # fmt: skip
    _sheet(workbook, names["liaison_ranking"], tpl["liaison_columns"], liaisons)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
