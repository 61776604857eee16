"""Errors on console pages: the domain's status code, a Chinese message, an HTML page."""

import logging

from flask import Response, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from inspect_service.errors import DomainError, Unauthorized
from inspect_service.extensions import db
from inspect_service.web.labels import name

log = logging.getLogger(__name__)

TITLES = {
    400: "请求无效", 401: "请先登录", 403: "无权执行此操作", 404: "未找到（或不在您的查看范围内）",
    405: "不支持的请求方式", 409: "当前状态不允许此操作", 412: "数据已被他人修改，请刷新后重试",
    413: "提交的内容过大", 415: "文件类型不支持", 422: "提交的内容不符合要求", 428: "缺少版本信息，请刷新后重试",
    429: "尝试次数过多，请稍后再试", 500: "系统内部错误",
}  # fmt: skip
# The domain's messages (English in problem+json), as the console says them.
MESSAGES = {
    "Unknown user or wrong password.": "用户名或密码错误。",
    "This account is disabled.": "该账号已停用。",
    "Too many failed sign-ins; try again later.": "登录失败次数过多，请稍后再试。",
    "No such hazard.": "没有这条隐患，或它不在您的查看范围内。",
    "No such enterprise.": "没有这家企业，或它不在您的查看范围内。",
    "No such campaign.": "没有这个检查活动，或它不在您的查看范围内。",
    "No such photo.": "没有这张照片，或它不在您的查看范围内。",
    "Your role may not do this.": "您的角色不能执行此操作。",
    "The deadline cannot be in the past.": "整改期限不能早于今天。",
    "The recheck comes on or after the deadline.": "复查日期不能早于整改期限。",
    "Only enforcement officers issue enforcement orders.": "只有执法人员才能下达责令限期整改指令书。",
    "Third-party notices name the commissioning party.": "第三方意见书须写明委托单位。",
    "The new deadline must be later than the current one.": "新的期限须晚于当前期限。",
    "The new deadline cannot be in the past.": "新的期限不能早于今天。",
    "Name the hazard this one duplicates.": "请填写与之重复的隐患。",
    "A hazard cannot duplicate itself.": "隐患不能与自身重复。",
    "Unknown photo.": "照片不存在或不属于该企业。",
    "Name the enforcement authority.": "请填写执法机关名称。",
    "Name the inspecting unit.": "请填写检查单位名称。",
    "An enforcement order names where to seek review and where to sue.": "执法文书须写明行政复议机关和诉讼法院。",
    "A hazard appears once on a notice.": "同一隐患在一份通知书中只能出现一次。",
    "No such document.": "没有这份文书，或它不在您的查看范围内。",
    "No such report job.": "没有这个报告任务，或它不在您的查看范围内。",
    "No such sync issue.": "没有这条同步问题，或它不在您的查看范围内。",
    "Only the park's managers and inspectors request reports.": "只有园区安委办和园区检查人员可以生成报告。",
    "Upload the photos of this enterprise first.": "请先上传该企业的照片。",
    "Validation failed": "请检查以下内容。",
    "Missing data for required field.": "必填。",
    "Not a valid date.": "日期格式不正确。",
    "Not a valid UUID.": "编号格式不正确。",
    "Must not be blank.": "不能为空。",
    "Unknown field.": "未知字段。",
    "Malformed cursor.": "翻页参数无效。",
    "Sign in first.": "请先登录。",
    "Session revoked or expired.": "登录已失效，请重新登录。",
    "This enterprise is not in your portfolio: park-wide reading does not extend to writes.":
        "该企业不在您的包保范围内：全园查看权限不包括办理。",
}  # fmt: skip
_PREFIXES = {
    "Two or more distinct inspectors of the park, you among them": "须由本园区两名以上不同的检查人员签字，且包括您本人",
    "Your role may not ": "您的角色不能对这条隐患执行此操作。",
    "'": "隐患当前状态下不能执行此操作。",
    "Extensions are requested at least": "须在期限届满前规定天数以上申请延期。",
}  # fmt: skip


def chinese(message) -> str:
    """The console's wording of a domain or validation message (kept as is when unknown)."""
    text = " ".join(_flat(message)) if isinstance(message, list | tuple | dict) else str(message)
    if text in MESSAGES:
        return MESSAGES[text]
    for prefix, wording in _PREFIXES.items():
        if text.startswith(prefix):
            return wording
    if text.startswith(("Length must be", "Longer than maximum length")):
        return "长度不符合要求。"
    if text.startswith("Must be one of"):
        return "请从列表中选择。"
    return text


def field_errors(errors) -> list[tuple[str, str]]:
    """(field in Chinese, message in Chinese) pairs from a 422's per-field map."""
    if not isinstance(errors, dict):
        return []
    return [(name("field", field), chinese(_flat(messages))) for field, messages in errors.items()]


def _flat(messages, depth: int = 0) -> list[str]:
    """Every message of a field's errors, however deeply nested (list items {"0": [...]}, nested objects)."""
    if depth > 16:
        return []
    if isinstance(messages, dict):
        return [m for inner in messages.values() for m in _flat(inner, depth + 1)]
    if isinstance(messages, list | tuple):
        return [m for inner in messages for m in _flat(inner, depth + 1)]
    return [str(messages)]


def render_error(status: int, detail: str, errors=None) -> Response:
    """The error page with `status`."""
    body = render_template(
        "console/error.html", status=status, title=TITLES.get(status, "出错了"), detail=chinese(detail),
        field_errors=field_errors(errors),
    )  # fmt: skip
    return Response(body, status=status, mimetype="text/html")


def _domain_error(error: DomainError):
    if error.persist:
        db.session.commit()
    else:
        db.session.rollback()
    if isinstance(error, Unauthorized) and request.method == "GET":
        session.clear()
        return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
    response = render_error(error.status, error.detail, error.errors)
    for header, value in error.headers.items():
        if header != "WWW-Authenticate":
            response.headers[header] = value
    return response


def _http_error(error: HTTPException):
    if isinstance(error, CSRFError):
        return render_error(400, "表单已过期或缺少安全令牌（CSRF），请刷新页面后重新提交。")
    status = error.code or 500
    if status >= 500:
        return render_error(500, "系统内部错误，请稍后再试。")
    return render_error(status, TITLES.get(status, error.description or ""))


def _unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return _http_error(error)
    log.exception("unhandled console error", exc_info=error)
    db.session.rollback()
    return render_error(500, "系统内部错误，请稍后再试。")


def init_blueprint(bp) -> None:
    """Render every error raised in a console view as a Chinese HTML page with the same status."""
    bp.register_error_handler(DomainError, _domain_error)
    bp.register_error_handler(HTTPException, _http_error)
    bp.register_error_handler(Exception, _unexpected)
