"""The enterprise's quarterly or annual hazard statistics table (Order 16), for the principal's signature."""

from inspect_service.documents import templates
from inspect_service.documents.pdf import parts
from inspect_service.documents.pdf.base import PageMarks, build_pdf, field_table, grid_table, signature_table, spacer
from inspect_service.documents.pdf.views import StatisticsView


def rate(found: int, rectified: int) -> str:
    """The rectification rate as printed (— when nothing was found)."""
    return f"{rectified * 100 / found:.1f}%" if found else "—"


def period_label(view: StatisticsView, tpl: dict) -> str:
    """2026年第3季度 or 2026年度."""
    if view.quarter:
        return templates.fill(tpl["period_quarter"], {"year": view.year, "quarter": view.quarter})
    return templates.fill(tpl["period_year"], {"year": view.year})


def render_statistics(view: StatisticsView, *, templates_dir: str | None = None) -> bytes:
    """Render a statistics table to PDF bytes."""
    common = templates.load("common", templates_dir)
    tpl = templates.load("statistics", templates_dir)
    labels, values = tpl["fields"], parts.values_of(view.header)
    story = parts.head(view.header, tpl, common, title=tpl["title"])
    story.append(
        field_table(
            [
                (labels["enterprise"], view.header.enterprise_name),
                (labels["period"], period_label(view, tpl)),
                (labels["due"], parts.cn_date(view.due_date, common)),
            ]
        )
    )
    story += [spacer(3), grid_table(tpl["checks_columns"], [[k, str(n)] for k, n in view.checks], (0.7, 0.3))]
    rows = [
        [
            tpl["levels"].get(c.level, c.level),
            str(c.found),
            str(c.rectified),
            rate(c.found, c.rectified),
            str(c.overdue),
        ]
        for c in view.levels
    ]
    story += [spacer(3), grid_table(tpl["hazard_columns"], rows, (0.2, 0.2, 0.2, 0.2, 0.2))]
    story.append(parts.text(tpl["major_lead"], values, "heading"))
    majors = [[m.hazard_no, m.description, m.status, "是" if m.listed else "否"] for m in view.majors]
    story.append(
        grid_table(tpl["major_columns"], majors, (0.2, 0.5, 0.15, 0.15)) if majors else parts.text(tpl["none"], values)
    )
    story += [spacer(2), parts.text(tpl["funds"], {"funds": view.funds})]
    story += [spacer(4), signature_table(list(zip(tpl["signers"], (view.principal, ""), strict=False)))]
    story.append(parts.text(tpl["unit_seal"], values))
    story += parts.tail(view.header, tpl, common, with_qr=False)
    return build_pdf(
        story, PageMarks(number=view.header.number, title=tpl["title"]), author=view.header.enterprise_name
    )
