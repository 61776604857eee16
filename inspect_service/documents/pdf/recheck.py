"""The recheck opinion (整改复查意见书): cites the notice, lists items passed and not, with the new deadline."""

from inspect_service.documents import templates
from inspect_service.documents.pdf import parts
from inspect_service.documents.pdf.base import PageMarks, build_pdf, grid_table, signature_table, spacer
from inspect_service.documents.pdf.notice import zip_signers
from inspect_service.documents.pdf.views import RecheckView

WIDTHS = (0.06, 0.18, 0.46, 0.14, 0.16)


def _table(items, tpl: dict, common: dict):
    rows = [
        [
            str(i.seq),
            i.hazard_no,
            i.description,
            i.note,
            parts.cn_date(i.new_deadline, common) if i.new_deadline else "",
        ]
        for i in items
    ]
    return grid_table(tpl["columns"], rows, WIDTHS) if rows else parts.text(tpl["none"], {}, "indent")


def render_recheck(view: RecheckView, *, templates_dir: str | None = None) -> bytes:
    """Render a recheck opinion to PDF bytes."""
    common = templates.load("common", templates_dir)
    tpl = templates.load("recheck_opinion", templates_dir)
    failed = [i for i in view.items if not i.passed]
    deadlines = sorted(i.new_deadline for i in failed if i.new_deadline)
    values = parts.values_of(
        view.header,
        notice_number=view.notice_number,
        notice_date=parts.cn_date(view.notice_date, common),
        new_deadline=parts.cn_date(deadlines[-1], common) if deadlines else "",
    )
    story = parts.head(view.header, tpl, common, title=tpl["title"])
    story += [parts.text(tpl["addressee"], values), parts.text(tpl["cites"], values, "indent"), spacer(2)]
    story += [
        parts.text(tpl["passed_lead"], values, "heading"),
        _table([i for i in view.items if i.passed], tpl, common),
    ]
    story += [parts.text(tpl["failed_lead"], values, "heading"), _table(failed, tpl, common), spacer(2)]
    if failed:
        story.append(parts.text(tpl["consequence"], values, "indent"))
    signers = [(label, parts.signer_line(s, True)) for label, s in zip_signers(tpl, view.inspectors)]
    story += [spacer(4), signature_table(signers), parts.text(tpl["unit_seal"], values)]
    story += [spacer(2), parts.text(tpl["recipient"], values)]
    story += parts.tail(view.header, tpl, common)
    return build_pdf(story, PageMarks(number=view.header.number, title=tpl["title"]), author=view.header.issuer_name)
