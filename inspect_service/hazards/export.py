"""The ledger (台账) as an Excel workbook: DOMAIN.md §6.1 columns and the full status history."""

import tempfile
from collections.abc import Iterator

from openpyxl import Workbook
from sqlmodel import Session, select

from inspect_service.auth.actor import Actor
from inspect_service.enterprises.models import Enterprise
from inspect_service.hazards import service
from inspect_service.hazards.models import HazardEvent
from inspect_service.users.models import User

COLUMNS = (
    "隐患编号", "排查时间", "排查人员", "来源", "部位", "描述", "领域", "等级", "风险评估", "判定依据", "整改措施",
    "临时措施", "资金（元）", "责任单位", "责任人", "期限", "完成情况", "验收标准", "验收人", "复查结果", "督办单位",
    "销号日期", "状态", "是否逾期", "照片", "备注",
)  # fmt: skip
HISTORY_COLUMNS = ("隐患编号", "时间", "动作", "原状态", "新状态", "操作人", "内容")
STATUS_NAMES = {
    "registered": "已登记", "notice_issued": "已下达整改通知", "rectifying": "整改中",
    "extension_requested": "申请延期", "reply_submitted": "已回复待复查", "escalated": "已上报", "closed": "已销号",
    "voided": "已作废",
}  # fmt: skip
LEVEL_NAMES = {"general": "一般隐患", "major": "重大隐患"}
CHUNK = 500


def _safe(value):
    """Text that a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _names(session: Session, model, ids: set) -> dict:
    if not ids:
        return {}
    label = model.display_name if model is User else model.name
    return dict(session.exec(select(model.id, label).where(model.id.in_(ids))).all())


def _row(h: dict, enterprises: dict, users: dict, photo_url: str) -> list:
    details = h["details"] or {}
    recheck = details.get("recheck") or ""
    return [
        h["hazard_no"], h["found_at"] or h["created_at"], users.get(h["found_by"], ""), h["source"],
        h["location_text"], h["description"], h["domain"], LEVEL_NAMES.get(h["level"], h["level"]),
        h["local_grade"] or "", h["legal_basis"], h["measures"], h["interim_measures"],
        float(h["funds"]) if h["funds"] is not None else None, enterprises.get(h["enterprise_id"], ""),
        h["responsible_person"], h["deadline"], (details.get("reply") or {}).get("completed_on", ""),
        h["acceptance_criteria"], h["acceptor"], recheck, (details.get("escalation") or {}).get("target", ""),
        h["closed_at"], STATUS_NAMES.get(h["status"], h["status"]), "是" if h["is_overdue"] else "否",
        " ".join(photo_url + p for p in details.get("photo_ids", [])), h["closure_type"] or "",
    ]  # fmt: skip


def _chunks(items: Iterator[dict]) -> Iterator[list[dict]]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _plain(value):
    return value.replace(tzinfo=None) if hasattr(value, "tzinfo") and value.tzinfo else value


def write_ledger(*, session: Session, actor: Actor, photo_url: str, **filters):
    """Write the filtered ledger to a spooled temporary file and return it, rewound."""
    workbook = Workbook(write_only=True)
    ledger, history = workbook.create_sheet("台账"), workbook.create_sheet("状态历史")
    ledger.append(COLUMNS)
    history.append(HISTORY_COLUMNS)
    for chunk in _chunks(service.iter_hazards(session=session, actor=actor, **filters)):
        enterprises = _names(session, Enterprise, {h["enterprise_id"] for h in chunk})
        events = session.exec(
            select(HazardEvent)
            .where(HazardEvent.hazard_id.in_([h["id"] for h in chunk]))
            .order_by(HazardEvent.hazard_id, HazardEvent.at, HazardEvent.id)
        ).all()
        users = _names(session, User, {h["found_by"] for h in chunk} | {e.actor_id for e in events})
        numbers = {h["id"]: h["hazard_no"] for h in chunk}
        for hazard in chunk:
            ledger.append([_safe(_plain(v)) for v in _row(hazard, enterprises, users, photo_url)])
        for e in events:
            history.append(
                [
                    numbers[e.hazard_id],
                    _plain(e.at),
                    e.action,
                    STATUS_NAMES.get(e.from_status or "", ""),
                    STATUS_NAMES.get(e.to_status, e.to_status),
                    users.get(e.actor_id, ""),
                    _safe(str(e.payload)[:2000]),
                ]
            )
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - handed to the response
    workbook.save(output)
    output.seek(0)
    return output
