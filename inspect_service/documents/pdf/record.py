"""The on-site inspection record (现场检查记录): times to the minute, findings, passed items, signatures."""

from inspect_service.documents import templates
from inspect_service.documents.pdf import parts
from inspect_service.documents.pdf.base import PageMarks, build_pdf, field_table, grid_table, signature_table, spacer
from inspect_service.documents.pdf.views import InspectionRecordView


def _fields(view: InspectionRecordView, tpl: dict, common: dict):
    labels = tpl["fields"]
    start, end = parts.cn_datetime(view.started_at, common), parts.cn_datetime(view.ended_at, common)
    return field_table(
        [
            (labels["enterprise"], view.header.enterprise_name),
            (labels["address"], view.header.enterprise_address),
            (labels["principal"], view.header.enterprise_principal),
            (labels["place"], view.place),
            (labels["time"], templates.fill(tpl["time_range"], {"start": start, "end": end})),
            (labels["methods"], "、".join(view.methods)),
        ]
    )


def _signers(view: InspectionRecordView, tpl: dict) -> list:
    signers = [(tpl["inspector_label"], parts.signer_line(s, True)) for s in view.inspectors]
    if not view.site_rep_refused:
        signers.append((tpl["site_rep_label"], f"{view.site_rep.name} {view.site_rep.role}".strip()))
    if view.witness:
        signers.append((tpl["witness_label"], view.witness))
    return signers


def render_record(view: InspectionRecordView, *, templates_dir: str | None = None) -> bytes:
    """Render an inspection record to PDF bytes."""
    common = templates.load("common", templates_dir)
    tpl = templates.load("inspection_record", templates_dir)
    values = parts.values_of(view.header, site_rep_name=view.site_rep.name)
    story = parts.head(view.header, tpl, common, title=tpl["title"])
    story += [_fields(view, tpl, common), spacer(3), parts.text(tpl["commission"], values, "indent")]
    story.append(parts.text(tpl["findings_lead"], values, "heading"))
    rows = [[str(n), line.item, line.finding, line.hazard_no] for n, line in enumerate(view.findings, 1)]
    widths = (0.06, 0.34, 0.42, 0.18)
    story.append(grid_table(tpl["findings_columns"], rows, widths) if rows else parts.text(tpl["none"], values))
    story.append(parts.text(tpl["passed_lead"], values, "heading"))
    rows = [[str(n), line.item, line.finding] for n, line in enumerate(view.passed, 1)]
    story.append(
        grid_table(tpl["passed_columns"], rows, (0.06, 0.6, 0.34)) if rows else parts.text(tpl["none"], values)
    )
    if view.note:
        story.append(parts.text("{note}", {"note": view.note}, "indent"))
    story += [spacer(4), signature_table(_signers(view, tpl))]
    if view.site_rep_refused:
        story.append(parts.text(tpl["site_rep_refused"], values, "indent"))
    story += parts.tail(view.header, tpl, common, with_qr=False)
    return build_pdf(story, PageMarks(number=view.header.number, title=tpl["title"]), author=view.header.issuer_name)
