"""Sync issues (同步问题): phone operations the server refused or found in conflict, each marked resolved here."""

import uuid

from flask import flash, redirect, render_template, request, url_for

from inspect_service.extensions import db
from inspect_service.sync import issues as issue_service
from inspect_service.sync.issue_schemas import IssueListArgsSchema, ResolveIssueFormSchema
from inspect_service.web import forms
from inspect_service.web.blueprint import bp
from inspect_service.web.session import signed_in

PER_PAGE = 50
KINDS = {"conflict": "版本冲突", "rejected": "被拒绝"}
STATUSES = {"open": "待处理", "resolved": "已处理"}
OP_KINDS = {
    "create_inspection": "新建检查", "update_inspection": "完成检查", "add_result": "记录检查项结果",
    "create_hazard": "登记隐患", "hazard_action": "隐患操作", "acknowledge_document": "签收文书",
    "complete_task": "完成任务", "create_self_check_report": "新建自查月报", "update_self_check_report": "修改自查月报",
    "self_check_report_action": "自查月报操作", "read_notification": "标记通知已读",
}  # fmt: skip
OBJECT_TYPES = {
    "inspection": "检查", "hazard": "隐患", "document": "文书", "task": "任务", "self_check_report": "自查月报",
    "notification": "通知",
}  # fmt: skip


@bp.get("/sync-issues")
@signed_in
def sync_issues(actor):
    """The sync issues the caller may see (open ones unless asked otherwise), newest first."""
    filters, _own = forms.query_args(IssueListArgsSchema(), request.args)
    filters.setdefault("status", "open")
    filters["limit"] = PER_PAGE
    page = issue_service.list_issues(session=db.session, actor=actor, **filters)
    return render_template(
        "console/sync_issues.html", issues=page.items, next_cursor=page.next_cursor, filters=request.args,
        status=filters["status"], kinds=KINDS, statuses=STATUSES, op_kinds=OP_KINDS, object_types=OBJECT_TYPES,
    )  # fmt: skip


@bp.post("/sync-issues/<uuid:issue_id>/resolve")
@signed_in
def sync_issue_resolve(issue_id: uuid.UUID, actor):
    """标记已处理: resolve one issue (its park's manager, or its author) and return to the list."""
    schema = ResolveIssueFormSchema()
    body = forms.load(schema, forms.form_input(schema, request.form))
    issue_service.resolve(
        session=db.session, actor=actor, issue_id=issue_id, note=body["note"], version=body.get("version")
    )
    db.session.commit()
    flash("已标记为已处理。")
    return redirect(url_for("web.sync_issues"))
