"""Sample view-models of every document type, for renderer tests (no database)."""

from inspect_service.documents.pdf.views import (
    Header,
    InspectionRecordView,
    LevelCount,
    MajorLine,
    NoticeItem,
    NoticeView,
    ReceiptView,
    RecheckItem,
    RecheckView,
    RecordLine,
    RemediationPlanView,
    Signer,
    StatisticsView,
)  # fmt: skip

ENTERPRISE = "宁波某某化工有限公司"
INSPECTORS = (Signer("王建国", "inspector", "ZF-3302-0001"), Signer("李晓梅", "inspector", "ZF-3302-0002"))


def header(doc_type: str, variant: str = "", number: str = "（XX园）安整〔2026〕0007号") -> Header:
    """A header with a QR link."""
    return Header(
        doc_type=doc_type, variant=variant, number=number, issuer_name="XX园区安全生产委员会办公室",
        enterprise_name=ENTERPRISE, issued_on="2026-11-22", enterprise_address="XX园区纬三路8号",
        enterprise_principal="赵大伟", verify_url="https://inspect.example.cn/verify/x?h=0123456789abcdef",
    )  # fmt: skip


def notice_items(count: int = 3, description: str | None = None) -> tuple[NoticeItem, ...]:
    """`count` items: the second major, the third immediate."""
    return tuple(
        NoticeItem(
            seq=n, hazard_no=f"YH-2026-{n:06d}", description=description or f"第{n}号仓库安全出口被货物堵塞",
            location=f"{n}号仓库", legal_basis="《消防法》第二十八条", level="major" if n == 2 else "general",
            deadline=None if n == 3 else f"2026-12-{(n % 28) + 1:02d}",
        )
        for n in range(1, count + 1)
    )  # fmt: skip


def notice(variant: str = "park", items=None) -> NoticeView:
    """A notice of `variant` with its variant's extra fields."""
    return NoticeView(
        header=header("notice", variant), items=items or notice_items(), recheck_date="2026-12-20",
        inspectors=INSPECTORS, inspected_on="2026-11-20", commissioned_by="XX园区管委会",
        authority="XX区应急管理局", review_authority="XX区人民政府", court="XX区人民法院",
    )  # fmt: skip


def recheck() -> RecheckView:
    """One item passed, one not (with its new deadline)."""
    return RecheckView(
        header=header("recheck_opinion", number="（XX园）复查〔2026〕0003号"),
        notice_number="（XX园）安整〔2026〕0007号", notice_date="2026-11-22",
        items=(
            RecheckItem(1, "YH-2026-000001", "安全出口被货物堵塞", True, "已清理通道"),
            RecheckItem(2, "YH-2026-000002", "配电箱未接地", False, "仍未接地", "2027-01-15"),
        ),
        inspectors=INSPECTORS,
    )  # fmt: skip


def record(refused: bool = False) -> InspectionRecordView:
    """An inspection record from 09:05 to 11:40 with one finding and one passed item."""
    return InspectionRecordView(
        header=header("inspection_record", number="（XX园）检记〔2026〕0011号"), place="一号车间及危化品仓库",
        started_at="2026-11-22T09:05", ended_at="2026-11-22T11:40", methods=("看现场", "查资料"),
        findings=(RecordLine("FI03 安全出口和疏散通道畅通", "二号车间安全出口堵塞", "YH-2026-000001"),),
        passed=(RecordLine("FI02 消防设施定期检测", "符合要求"),), inspectors=INSPECTORS,
        site_rep=Signer("孙立新", "安全主管"), site_rep_refused=refused, witness="周见证",
    )  # fmt: skip


def receipt() -> ReceiptView:
    """A receipt of the notice, served in person."""
    return ReceiptView(
        header=header("receipt", number="（XX园）回执〔2026〕0002号"), document_title="限期整改意见书",
        document_number="（XX园）安整〔2026〕0007号", recipient=Signer("赵大伟", "主要负责人"),
        received_at="2026-11-22T15:30", method="in_person", served_by="王建国",
    )  # fmt: skip


def plan() -> RemediationPlanView:
    """The six parts of a remediation plan."""
    parts = {
        "objectives": "消除液氨储罐区重大事故隐患", "methods": "更换紧急切断阀并增设气体检测报警",
        "funds_materials": "落实资金45万元", "organisation": "由主要负责人牵头成立治理小组",
        "time_limit": "2027-03-31", "safety_measures": "治理期间停用储罐并制定专项应急预案",
    }  # fmt: skip
    return RemediationPlanView(
        header=header("remediation_plan", number="（XX园）治方〔2026〕0001号"), hazard_no="YH-2026-000009",
        description="液氨储罐未设置紧急切断装置", location="液氨储罐区", criterion="化工判定标准第5项",
        parts=parts, principal="赵大伟",
    )  # fmt: skip


def statistics() -> StatisticsView:
    """Q3 figures: 4 general found (3 rectified, 1 overdue), 1 major found."""
    return StatisticsView(
        header=header("statistics", number="（XX园）统计〔2026〕0004号"), year=2026, quarter=3, due_date="2026-10-15",
        checks=(("企业自查", 12), ("园区检查", 2)),
        levels=(LevelCount("general", 4, 3, 1), LevelCount("major", 1, 0, 0), LevelCount("total", 5, 3, 1)),
        majors=(MajorLine("YH-2026-000009", "液氨储罐未设置紧急切断装置", "整改中", True),), funds="1200.50",
        principal="赵大伟",
    )  # fmt: skip


SAMPLES = {
    "notice": notice,
    "recheck_opinion": recheck,
    "inspection_record": record,
    "receipt": receipt,
    "remediation_plan": plan,
    "statistics": statistics,
}
