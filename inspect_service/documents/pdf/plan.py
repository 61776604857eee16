"""The major hazard's remediation plan (重大事故隐患治理方案), six parts, signed by the principal."""

from inspect_service.documents import templates
from inspect_service.documents.pdf import parts
from inspect_service.documents.pdf.base import PageMarks, build_pdf, field_table, para, signature_table, spacer
from inspect_service.documents.pdf.views import RemediationPlanView


def render_plan(view: RemediationPlanView, *, templates_dir: str | None = None) -> bytes:
    """Render a remediation plan to PDF bytes."""
    common = templates.load("common", templates_dir)
    tpl = templates.load("remediation_plan", templates_dir)
    labels = tpl["fields"]
    values = parts.values_of(view.header)
    story = parts.head(view.header, tpl, common, title=tpl["title"])
    story.append(
        field_table(
            [
                (labels["enterprise"], view.header.enterprise_name),
                (labels["hazard_no"], view.hazard_no),
                (labels["location"], view.location),
                (labels["description"], view.description),
                (labels["criterion"], view.criterion),
            ]
        )
    )
    for key, heading in tpl["sections"].items():
        value = view.parts.get(key, "")
        if key == "time_limit" and value:
            value = parts.cn_date(value, common)
        story += [para(heading, "heading"), para(value, "indent")]
    story += [spacer(4), signature_table(list(zip(tpl["signers"], (view.principal, ""), strict=False)))]
    story.append(parts.text(tpl["unit_seal"], values))
    story += parts.tail(view.header, tpl, common, with_qr=False)
    return build_pdf(
        story, PageMarks(number=view.header.number, title=tpl["title"]), author=view.header.enterprise_name
    )
