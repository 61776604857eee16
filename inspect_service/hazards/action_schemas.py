"""The data each lifecycle action requires (DOMAIN.md §4.2)."""

import marshmallow as ma
from marshmallow import validate

from inspect_service.common.schemas import JsonBoolean, Moment, StrictSchema, text
from inspect_service.hazards.schemas import money, photo_ids

ISSUER_KINDS = ("park", "third_party", "enforcement")
RECEIPT_METHODS = ("in_person", "left_at_premises", "electronic")
ESCALATION_TYPES = (
    "penalty_referral", "stop_work", "listed_supervision", "transfer", "interview", "bulletin", "closure_proposal",
)  # fmt: skip
OUTCOMES = ("rectifying", "written_off", "delisted")


class ActionSchema(StrictSchema):
    """The body of every lifecycle action: its own fields, and the device time of an action captured offline."""

    occurred_at = Moment(
        allow_none=True,
        metadata={
            "description": "Device time of the action (ISO 8601 with offset); not after the server receives it "
            "(5 minutes of clock skew allowed) nor before the hazard was found"
        },
    )


class NoteSchema(ActionSchema):
    """Optional free text."""

    note = text(2000)


class FixOnSiteSchema(ActionSchema):
    """Fixed during the visit: what was done, and the after-photo."""

    action_taken = text(2000, min_length=1, required=True)
    after_photo_ids = photo_ids(required=True, minimum=1)


class IssueNoticeSchema(ActionSchema):
    """Serve a rectification notice: deadline, recheck date, two signing inspectors."""

    issuer_kind = ma.fields.String(required=True, validate=validate.OneOf(ISSUER_KINDS))
    deadline = ma.fields.Date(required=True)
    recheck_date = ma.fields.Date(required=True)
    inspector_ids = ma.fields.List(ma.fields.UUID(), required=True, validate=validate.Length(min=2, max=10))
    commissioned_by = text(200, metadata={"description": "Commissioning party (third-party notices)"})
    note = text(2000)


class AssignSchema(ActionSchema):
    """Self-check: the enterprise takes the hazard on with the five points."""

    responsible_person = text(100, min_length=1, required=True)
    measures = text(4000, min_length=1, required=True)
    funds = money(required=True)
    deadline = ma.fields.Date(required=True)
    contingency_plan = text(4000, min_length=1, required=True)
    interim_measures = text(4000)
    acceptance_criteria = text(1000)
    acceptor = text(100)


class AcknowledgeSchema(ActionSchema):
    """Receipt of a notice (签收)."""

    recipient_name = text(100, min_length=1, required=True)
    recipient_role = text(100, min_length=1, required=True)
    received_at = Moment(required=True)
    method = ma.fields.String(required=True, validate=validate.OneOf(RECEIPT_METHODS))
    signature_photo_id = ma.fields.UUID(allow_none=True)
    witness_name = text(100)


class RefusalSchema(ActionSchema):
    """Refusal to sign (拒签), with evidence."""

    evidence_photo_ids = photo_ids(required=True, minimum=1)
    witness_name = text(100)
    note = text(2000)


class ExtensionRequestSchema(ActionSchema):
    """延期申请."""

    reason = text(2000, min_length=1, required=True)
    proposed_deadline = ma.fields.Date(required=True)
    interim_measures = text(4000, min_length=1, required=True)


class ApproveExtensionSchema(ActionSchema):
    """延期批复 (approved)."""

    new_deadline = ma.fields.Date(required=True)
    note = text(2000)


class ReasonSchema(ActionSchema):
    """A decision with its reason."""

    reason = text(2000, min_length=1, required=True)


class ReplySchema(ActionSchema):
    """整改回复单."""

    measures = text(4000, min_length=1, required=True)
    completed_on = ma.fields.Date(required=True)
    cost = money(required=True)
    after_photo_ids = photo_ids(required=True, minimum=1)
    before_photo_ids = photo_ids()
    self_check_note = text(2000)


class ReturnReplySchema(ActionSchema):
    """A reply sent back: what is missing."""

    missing = text(2000, min_length=1, required=True)


class RecheckPassSchema(ActionSchema):
    """复查: rectified to standard."""

    note = text(2000, min_length=1, required=True)
    photo_ids = photo_ids()
    site_rep_name = text(100)


class RecheckFailSchema(ActionSchema):
    """复查: not rectified; a new deadline starts the next round."""

    note = text(2000, min_length=1, required=True)
    new_deadline = ma.fields.Date(required=True)
    photo_ids = photo_ids()


class EscalateSchema(ActionSchema):
    """Escalate to an external authority."""

    escalation_type = ma.fields.String(required=True, validate=validate.OneOf(ESCALATION_TYPES))
    target = text(200, min_length=1, required=True)
    note = text(2000)
    evidence_photo_ids = photo_ids()


class OutcomeSchema(ActionSchema):
    """What the external authority decided."""

    external_doc_no = text(100, min_length=1, required=True)
    decision = text(2000, min_length=1, required=True)
    outcome = ma.fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    new_deadline = ma.fields.Date(allow_none=True)


class VoidSchema(ActionSchema):
    """作废: a duplicate or a mistake."""

    reason = ma.fields.String(required=True, validate=validate.OneOf(("duplicate", "mistaken")))
    duplicate_of = ma.fields.UUID(allow_none=True)
    note = text(2000)


class MajorReportSchema(ActionSchema):
    """重大隐患报告 (SPL 41): situation and cause, harm and difficulty, plan."""

    situation = text(4000, min_length=1, required=True)
    harm = text(4000, min_length=1, required=True)
    plan_summary = text(4000, min_length=1, required=True)
    reported_to = text(200, min_length=1, required=True)


class RemediationPlanSchema(ActionSchema):
    """治理方案: the six parts."""

    objectives = text(4000, min_length=1, required=True)
    methods = text(4000, min_length=1, required=True)
    funds_materials = text(4000, min_length=1, required=True)
    organisation = text(4000, min_length=1, required=True)
    time_limit = ma.fields.Date(required=True)
    safety_measures = text(4000, min_length=1, required=True)


class AssessmentSchema(ActionSchema):
    """评估: by the enterprise's experts or an accredited body."""

    assessor = text(200, min_length=1, required=True)
    conclusion = text(4000, min_length=1, required=True)
    passed = JsonBoolean(required=True)


class ResumeSchema(ActionSchema):
    """恢复生产申请."""

    application = text(4000, min_length=1, required=True)


class AcceptanceSchema(ActionSchema):
    """Acceptance closing a major hazard (核销 / 摘牌销号)."""

    acceptance_note = text(2000, min_length=1, required=True)
    accepted_on = ma.fields.Date(required=True)
    notice_no = text(100)
