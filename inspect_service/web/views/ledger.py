"""The ledger (台账): the API's filters, sortable columns, pages, overdue rows marked, the Excel export."""

import math

from flask import render_template, request, send_file, url_for

from inspect_service.enterprises import service as enterprise_service
from inspect_service.extensions import db
from inspect_service.hazards import export
from inspect_service.hazards import service as hazard_service
from inspect_service.hazards.routes import XLSX
from inspect_service.hazards.schemas import LedgerExportArgsSchema
from inspect_service.users import service as users_service
from inspect_service.web import forms
from inspect_service.web.blueprint import bp
from inspect_service.web.session import signed_in
from inspect_service.web.views import choices

PER_PAGE = 50
MAX_PAGE = 2000
CONSOLE_KEYS = ("sort", "order", "page")
COLUMNS = (("hazard_no", "隐患编号"), ("created_at", "登记时间"), (None, "企业"), (None, "部位与描述"),
           ("domain", "领域"), ("level", "等级"), ("deadline", "整改期限"), ("status", "状态"))  # fmt: skip


def _page_number(raw: str | None) -> int:
    try:
        page = int(raw or 1)
    except ValueError:
        page = 1
    return min(max(page, 1), MAX_PAGE)


@bp.get("/ledger")
@signed_in
def ledger(actor):
    """One screen of the ledger with the filters of GET /api/hazards."""
    filters, own = forms.query_args(LedgerExportArgsSchema(), request.args, extra=CONSOLE_KEYS)
    sort = own.get("sort", "created_at")
    descending = own.get("order", "desc" if "sort" not in own else "asc") == "desc"
    page = _page_number(own.get("page"))
    rows, total = hazard_service.list_sorted(
        session=db.session, actor=actor, sort=sort, descending=descending,
        offset=(page - 1) * PER_PAGE, limit=PER_PAGE, **filters,
    )  # fmt: skip
    names = choices.enterprise_names(actor, {row["enterprise_id"] for row in rows})
    params = {key: value for key, value in request.args.items() if key in filters or key in ("sort", "order")}
    return render_template(
        "console/ledger.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, math.ceil(total / PER_PAGE)),
        sort=sort,
        descending=descending,
        columns=COLUMNS,
        params=params,
        filters=request.args,
        enterprise_names=names,
        options=_options(actor),
        export_url=url_for("web.ledger_export", **{k: v for k, v in params.items() if k in filters}),
    )


def _options(actor) -> dict:
    """The choices of the filter form, each from the service that scopes it."""
    enterprises = enterprise_service.list_enterprises(session=db.session, actor=actor, limit=200).items
    liaisons = []
    if actor.role in ("park_manager", "admin"):
        users = users_service.list_users(session=db.session, actor=actor, limit=200, role="inspector").items
        liaisons = [(u.id, u.display_name) for u in users if u.inspector_kind == "liaison_officer"]
    return {
        "enterprises": [(e.id, e.name) for e in enterprises],
        "phases": choices.phases(actor),
        "liaisons": liaisons,
    }


@bp.get("/ledger/export")
@signed_in
def ledger_export(actor):
    """The filtered ledger as the same workbook as GET /api/hazards/export (photo links open in the console)."""
    filters = forms.load(LedgerExportArgsSchema(), {k: v for k, v in request.args.items() if v != ""})
    photo_url = request.host_url + "console/photos/"
    output = export.write_ledger(session=db.session, actor=actor, photo_url=photo_url, **filters)
    return send_file(output, mimetype=XLSX, as_attachment=True, download_name="台账.xlsx")
