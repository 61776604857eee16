"""The rectification notice in its three variants: park, third-party (受…委托) and enforcement order."""

from inspect_service.documents import templates
from inspect_service.documents.pdf import parts
from inspect_service.documents.pdf.base import PageMarks, build_pdf, grid_table, para, signature_table, spacer
from inspect_service.documents.pdf.views import NoticeView


def _numbers(items, predicate) -> str:
    return "、".join(str(item.seq) for item in items if predicate(item))


def item_rows(view: NoticeView, tpl: dict, common: dict) -> list[list[str]]:
    """One table row per hazard: number, place and description, basis, deadline."""
    rows = []
    for item in view.items:
        where = f"{item.location}：" if item.location else ""
        major = tpl["major_mark"] if item.level == "major" else ""
        deadline = parts.cn_date(item.deadline, common) if item.deadline else tpl["immediate"]
        rows.append([str(item.seq), item.hazard_no, f"{where}{item.description}{major}", item.legal_basis, deadline])
    return rows


def clause_values(view: NoticeView, common: dict) -> dict:
    """Placeholder values of the clauses: item lists, dates, authority names."""
    items = view.items
    return parts.values_of(
        view.header,
        commissioned_by=view.commissioned_by,
        inspected_on=parts.cn_date(view.inspected_on or view.header.issued_on, common),
        recheck_date=parts.cn_date(view.recheck_date, common),
        all_items=_numbers(items, lambda i: True),
        major_items=_numbers(items, lambda i: i.level == "major"),
        immediate_items=_numbers(items, lambda i: i.deadline is None),
        deadline_items=_numbers(items, lambda i: i.deadline is not None),
        authority=view.authority,
        review_authority=view.review_authority,
        court=view.court,
    )


CLAUSE_ORDER = ("requirement_lead", "immediate_clause", "deadline_clause", "major_clause", "requirement",
                "order", "during", "consequence", "recheck", "remedies")  # fmt: skip
# Clauses printed only when the items they name exist.
CONDITIONAL = {
    "major_clause": "major_items",
    "immediate_clause": "immediate_items",
    "deadline_clause": "deadline_items",
}


def clauses(tpl: dict, values: dict) -> list:
    """The variant's clauses in order, skipping those about items the notice does not have."""
    story = []
    for key in CLAUSE_ORDER:
        if not tpl.get(key) or (key in CONDITIONAL and not values[CONDITIONAL[key]]):
            continue
        story.append(parts.text(tpl[key], values, "indent"))
    return story


def render_notice(view: NoticeView, *, templates_dir: str | None = None) -> bytes:
    """Render a notice to PDF bytes."""
    common = templates.load("common", templates_dir)
    base = templates.load("notice", templates_dir)
    tpl = {**base, **base["variants"][view.header.variant]}
    values = clause_values(view, common)
    story = parts.head(view.header, tpl, common, title=tpl["title"], pre_title=tpl.get("header", ""))
    story += [parts.text(tpl["addressee"], values), parts.text(tpl["findings_lead"], values, "indent"), spacer(2)]
    story.append(grid_table(tpl["columns"], item_rows(view, tpl, common), (0.06, 0.18, 0.44, 0.16, 0.16)))
    story.append(spacer(3))
    story += clauses(tpl, values)
    if view.note:
        story.append(para(view.note, "indent"))
    signers = [(label, parts.signer_line(s, tpl["with_cert"])) for label, s in zip_signers(tpl, view.inspectors)]
    story += [spacer(4), signature_table(signers)]
    story += [parts.text(tpl["unit_seal"], values), spacer(2), parts.text(tpl["recipient"], values)]
    story += parts.tail(view.header, tpl, common)
    return build_pdf(story, PageMarks(number=view.header.number, title=tpl["title"]), author=view.header.issuer_name)


def zip_signers(tpl: dict, signers) -> list:
    """Pair each signer with the template's label for that position (the last label repeats)."""
    labels = tpl.get("signers") or ["签名"]
    return [(labels[min(i, len(labels) - 1)], signer) for i, signer in enumerate(signers)]
