"""Chinese names for the codes the console shows (DOMAIN.md §8 glossary)."""

from inspect_service.hazards.export import LEVEL_NAMES, STATUS_NAMES

LEVELS = {"general": "一般", "major": "重大"}
DOMAINS = {
    "basic_mgmt": "基础管理", "hazchem": "危险化学品", "fire": "消防", "special_equipment": "特种设备",
    "construction": "建筑施工", "electrical": "用电", "confined_space": "有限空间", "combustible_dust": "粉尘涉爆",
    "occupational_health": "职业卫生", "traffic": "道路交通/厂内运输", "other": "其他",
}  # fmt: skip
SOURCES = {
    "self_check": "企业自查", "park_inspection": "园区检查", "enforcement": "执法检查", "third_party": "第三方",
    "public_report": "举报", "covert_supervision": "督查暗访",
}  # fmt: skip
NATURES = {"person": "人的不安全行为", "object": "物的不安全状态", "management": "管理缺陷"}
RECTIFY_MODES = {"immediate": "立即整改", "deadline": "限期整改"}
CLOSURE_TYPES = {"on_site": "现场整改", "recheck_pass": "复查合格", "written_off": "核销", "delisted": "摘牌销号"}
ROLES = {
    "admin": "系统管理员", "park_manager": "园区安委办", "inspector": "检查人员",
    "enterprise_safety_officer": "企业安全管理人员", "enterprise_principal": "企业主要负责人",
}  # fmt: skip
INSPECTOR_KINDS = {
    "park_staff": "园区工作人员", "liaison_officer": "蹲点干部", "third_party_expert": "第三方专家",
    "enforcement_officer": "执法人员",
}  # fmt: skip
RISK_COLORS = {"red": "红（重大风险）", "orange": "橙（较大风险）", "yellow": "黄（一般风险）", "blue": "蓝（低风险）"}
ACTIONS = {
    "register": "登记", "update": "修改五落实", "fix_on_site": "现场整改", "issue_notice": "下达整改通知",
    "assign": "企业自行整改", "acknowledge": "签收", "record_refusal": "记录拒签", "request_extension": "申请延期",
    "approve_extension": "批准延期", "deny_extension": "不予延期", "submit_reply": "整改回复",
    "return_reply": "退回整改回复", "recheck_pass": "复查合格", "recheck_fail": "复查不合格", "escalate": "上报/移送",
    "record_outcome": "记录处理结果", "void": "作废", "report_major": "重大隐患报告", "submit_plan": "治理方案",
    "record_assessment": "评估", "apply_resume": "恢复生产申请", "write_off": "核销", "delist": "摘牌销号",
}  # fmt: skip
ESCALATION_TYPES = {
    "penalty_referral": "移送行政处罚", "stop_work": "停产整顿", "listed_supervision": "挂牌督办",
    "transfer": "移交有关部门", "interview": "约谈", "bulletin": "通报", "closure_proposal": "提请关闭",
}  # fmt: skip
ISSUER_KINDS = {"park": "园区（限期整改意见书）", "third_party": "第三方（隐患整改意见书）",
                "enforcement": "执法部门（责令限期整改指令书）"}  # fmt: skip
PHASE_STATUSES = {"planned": "未开始", "open": "进行中", "closed": "已结束"}
PHASE_KINDS = {
    "self_check": "企业自查自纠",
    "focused_rectification": "集中整治和重点抽查",
    "park_supervision": "园区督查",
}
MILESTONE_KINDS = {"report": "督查情况报告", "self_check_report": "自查自纠月报", "bulletin": "督查通报"}
FIELDS = {
    "deadline": "整改期限", "recheck_date": "复查日期", "inspector_ids": "签字检查人员", "issuer_kind": "文书类型",
    "commissioned_by": "委托单位", "note": "说明", "new_deadline": "新的整改期限", "reason": "理由",
    "missing": "需补充的内容", "photo_ids": "照片", "site_rep_name": "现场负责人", "escalation_type": "上报类型",
    "target": "移送/上报单位", "evidence_photo_ids": "证据照片", "duplicate_of": "重复的隐患",
    "username": "用户名", "password": "密码", "cursor": "翻页", "page": "页码", "sort": "排序", "level": "等级",
    "status": "状态", "domain": "领域", "source": "来源", "overdue": "是否逾期", "deadline_from": "期限自",
    "deadline_to": "期限至", "enterprise_id": "企业", "phase_id": "阶段", "liaison_officer_id": "蹲点干部",
    "proposed_deadline": "申请期限", "interim_measures": "临时措施", "outcome": "处理结果", "decision": "决定",
    "external_doc_no": "外部文号", "issuer_name": "检查单位/执法机关", "review_authority": "行政复议机关",
    "court": "诉讼法院", "items": "隐患", "kind": "报告类型", "format": "格式", "doc_type": "文书类型",
    "end": "截止日期", "start": "开始日期", "campaign_id": "检查活动", "q": "名称", "risk_color": "风险等级",
    "enterprise_class": "分级", "industry": "行业", "action_taken": "现场整改措施", "recipient_name": "签收人",
    "recipient_role": "签收人职务", "received_at": "签收时间", "witness_name": "见证人", "completed_on": "完成日期",
    "cost": "整改费用（元）", "measures": "整改措施", "self_check_note": "自查说明", "old_deadline": "原期限",
    "situation": "隐患情况", "harm": "危害程度", "plan_summary": "治理方案概要", "reported_to": "报告单位",
    "objectives": "目标任务", "methods": "方法措施", "funds_materials": "经费物资", "organisation": "机构人员",
    "time_limit": "时限要求", "safety_measures": "安全措施", "assessor": "评估单位", "conclusion": "评估结论",
    "passed": "是否通过", "application": "申请内容", "acceptance_note": "验收意见", "accepted_on": "验收日期",
    "notice_no": "文号", "refused": "拒签", "responsible_person": "责任人", "funds": "整改资金",
    "contingency_plan": "应急预案", "acceptance_criteria": "验收标准", "acceptor": "验收人",
    "location_text": "部位", "description": "描述", "legal_basis": "判定依据",
}  # fmt: skip

NAMES = {
    "level": LEVELS, "level_long": LEVEL_NAMES, "status": STATUS_NAMES, "domain": DOMAINS, "source": SOURCES,
    "nature": NATURES, "rectify_mode": RECTIFY_MODES, "closure_type": CLOSURE_TYPES, "role": ROLES,
    "inspector_kind": INSPECTOR_KINDS, "risk_color": RISK_COLORS, "action": ACTIONS, "escalation": ESCALATION_TYPES,
    "issuer_kind": ISSUER_KINDS, "phase_status": PHASE_STATUSES, "phase_kind": PHASE_KINDS,
    "milestone_kind": MILESTONE_KINDS, "field": FIELDS,
}  # fmt: skip


def name(kind: str, code) -> str:
    """The Chinese name of `code` in the table `kind` (the code itself when unknown)."""
    if code is None:
        return ""
    if not isinstance(code, str):  # a stored operation may carry anything (a list is not even a dict key)
        return str(code)
    return NAMES[kind].get(code, code)


VOID_REASONS = {"duplicate": "重复登记", "mistaken": "登记错误"}
RECEIPT_METHODS = {"in_person": "当面送达", "left_at_premises": "留置送达", "electronic": "电子送达"}
OUTCOMES = {"rectifying": "继续整改", "written_off": "核销", "delisted": "摘牌销号"}
_PAYLOAD_VALUES = {
    "issuer_kind": ISSUER_KINDS, "escalation_type": ESCALATION_TYPES, "reason": VOID_REASONS,
    "method": RECEIPT_METHODS, "outcome": OUTCOMES,
}  # fmt: skip
_PAYLOAD_HIDDEN = ("inspector_ids", "hazard_no")


def payload_items(payload: dict | None) -> list[tuple[str, str]]:
    """An event's payload as (field, value) in Chinese, ids and empty values left out."""
    items = []
    for key, value in (payload or {}).items():
        if value in (None, "", [], {}) or key in _PAYLOAD_HIDDEN or key.endswith("photo_ids"):
            continue
        if isinstance(value, str) and key in _PAYLOAD_VALUES:
            value = _PAYLOAD_VALUES[key].get(value, value)
        items.append((name("field", key), value if isinstance(value, str) else str(value)))
    return items
