"""A hazard: photos, the five points, the full history, and the actions the signed-in user may take."""

import uuid

from flask import flash, redirect, render_template, request, url_for
from sqlmodel import select
from werkzeug.datastructures import MultiDict

from inspect_service.auth.actor import require_role
from inspect_service.common.concurrency import check_version
from inspect_service.documents import service as document_service
from inspect_service.documents.models import Document, DocumentHazard
from inspect_service.errors import Conflict, PreconditionFailed, Unprocessable
from inspect_service.extensions import db
from inspect_service.hazards import lifecycle
from inspect_service.hazards import service as hazard_service
from inspect_service.users import service as users_service
from inspect_service.web import forms
from inspect_service.web.blueprint import bp
from inspect_service.web.labels import name
from inspect_service.web.session import signed_in
from inspect_service.web.views import choices

# The desk actions the console offers (the others are taken on site, from the phone app).
CONSOLE_ACTIONS = (
    "issue_notice", "approve_extension", "deny_extension", "return_reply", "recheck_pass", "recheck_fail",
    "escalate", "void",
)  # fmt: skip
MAX_DOCUMENTS = 50
PHOTO_LISTS = ("photo_ids", "after_photo_ids", "before_photo_ids", "evidence_photo_ids")


def _form_version(version: str) -> int:
    """The version a console form was drawn at (-1, never current, when unreadable: "²" is no digit to int)."""
    return int(version) if version.isascii() and version.isdigit() and len(version) < 10 else -1


def _photo_ids(detail: dict) -> list[str]:
    """The hazard's photos, then those its history cites, each once."""
    seen: list[str] = []
    sources = [detail["details"] or {}] + [event.payload or {} for event in detail["events"]]
    for source in sources:
        for key in PHOTO_LISTS:
            for photo_id in source.get(key) or []:
                if isinstance(photo_id, str) and photo_id not in seen:
                    seen.append(photo_id)
    return seen[:60]


def _page(actor, hazard_id: uuid.UUID, *, status: int = 200, error=None, failed_action: str | None = None):
    detail = hazard_service.get_view(session=db.session, actor=actor, hazard_id=hazard_id)
    hazard = hazard_service.get(session=db.session, actor=actor, hazard_id=hazard_id)
    allowed = lifecycle.allowed_actions(hazard, actor)
    signers = []
    if "issue_notice" in allowed:
        signers = users_service.signing_inspectors(session=db.session, actor=actor)
    people = choices.user_names({detail["found_by"]} | {event.actor_id for event in detail["events"]})
    naming = document_service.visible(select(Document), actor).join(
        DocumentHazard, DocumentHazard.document_id == Document.id
    )
    documents = db.session.exec(
        naming.where(DocumentHazard.hazard_id == hazard.id).order_by(Document.issued_at).limit(MAX_DOCUMENTS)
    ).all()
    page = render_template(
        "console/hazard.html",
        h=detail,
        enterprise=choices.enterprise_names(actor, {detail["enterprise_id"]}).get(detail["enterprise_id"], ""),
        photos=_photo_ids(detail),
        people=people,
        desk_actions=[a for a in CONSOLE_ACTIONS if a in allowed],
        other_actions=[a for a in allowed if a not in CONSOLE_ACTIONS],
        signers=signers,
        documents=[document_service.view(db.session, d) for d in documents],
        actor=actor,
        error=error,
        failed_action=failed_action,
        form=request.form if error else MultiDict(),
    )
    return page, status


@bp.get("/hazards/<uuid:hazard_id>")
@signed_in
def hazard(hazard_id: uuid.UUID, actor):
    """The hazard's page."""
    return _page(actor, hazard_id)


def _action_view(action_name: str):
    spec = lifecycle.ACTIONS[action_name]

    @signed_in
    def view(hazard_id: uuid.UUID, actor):
        schema = spec.schema()
        version = request.form.get("version", "")
        form = request.form.copy()
        form.pop("version", None)
        try:
            data = forms.load(schema, forms.form_input(schema, form))
            hazard_service.perform(
                session=db.session, actor=actor, hazard_id=hazard_id, action=action_name, data=data,
                version=_form_version(version) if version else None,
            )  # fmt: skip
        except (Unprocessable, Conflict, PreconditionFailed) as error:  # shown beside the form, same status
            db.session.rollback()
            return _page(actor, hazard_id, status=error.status, error=error, failed_action=action_name)
        db.session.commit()
        flash(f"已办理：{name('action', action_name)}")
        return redirect(url_for("web.hazard", hazard_id=hazard_id))

    view.__name__ = f"hazard_{action_name}"
    view.__doc__ = f"{name('action', action_name)}: the API's POST /api/hazards/{{id}}/{action_name}, from a form."
    return view


def _notice_body(hazard, form) -> dict:
    """The notice form as the body of POST /api/documents/notices for this one hazard."""
    from inspect_service.documents.schemas import NoticeIssueSchema

    schema = NoticeIssueSchema()
    fields = form.copy()
    deadline = fields.pop("deadline", "")
    data = forms.form_input(schema, fields)
    data.update(enterprise_id=str(hazard.enterprise_id), items=[{"hazard_id": str(hazard.id), "deadline": deadline}])
    try:
        return forms.load(schema, data)
    except Unprocessable as error:  # the one item's deadline is the form's deadline field
        items = (error.errors or {}).pop("items", None)
        if items:
            error.errors["deadline"] = [m for inner in items.values() for m in inner.get("deadline", [])] or items
        raise


@signed_in
def hazard_issue_notice(hazard_id: uuid.UUID, actor):
    """下达整改通知: the notice is issued as a numbered PDF (documents domain), which serves the hazard."""
    from inspect_service.documents import notices

    form = request.form.copy()
    version = form.pop("version", "")
    try:
        hazard = hazard_service.get(session=db.session, actor=actor, hazard_id=hazard_id)
        require_role(actor, "inspector")
        if version:
            check_version(hazard.version, _form_version(version))
        document = notices.issue_notice(session=db.session, actor=actor, body=_notice_body(hazard, form))
    except (Unprocessable, Conflict, PreconditionFailed) as error:
        db.session.rollback()
        return _page(actor, hazard_id, status=error.status, error=error, failed_action="issue_notice")
    db.session.commit()
    flash(f"已下达整改通知，文号 {document.number}")
    return redirect(url_for("web.hazard", hazard_id=hazard_id))


bp.add_url_rule("/hazards/<uuid:hazard_id>/issue_notice", view_func=hazard_issue_notice, methods=["POST"])
for _name in CONSOLE_ACTIONS:
    if _name != "issue_notice":
        bp.add_url_rule(f"/hazards/<uuid:hazard_id>/{_name}", view_func=_action_view(_name), methods=["POST"])
