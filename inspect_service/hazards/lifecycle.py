"""The hazard lifecycle as one transition table: (state, action) → new state, roles, required data."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from inspect_service.auth.actor import Actor
from inspect_service.errors import Unprocessable
from inspect_service.hazards import action_schemas as s
from inspect_service.hazards.models import Hazard

OPEN = ("registered", "notice_issued", "rectifying", "extension_requested", "reply_submitted")
CLOCK_RUNNING = ("registered", "notice_issued", "rectifying", "extension_requested")
INSPECTOR, MANAGER = "inspector", "park_manager"
OFFICER, PRINCIPAL = "enterprise_safety_officer", "enterprise_principal"


@dataclass
class Context:
    """What an effect may use: the hazard, validated data, who acts, the park's today, helpers."""

    hazard: Hazard
    data: dict
    actor: Actor
    today: date
    settings: dict
    require_photos: Callable[[list], None]
    require_inspectors: Callable[[list, bool], None]


@dataclass(frozen=True)
class Action:
    """One row of the transition table."""

    name: str
    sources: tuple[str, ...]
    roles: tuple[str, ...]
    schema: type
    effect: Callable[[Context], str]
    major_only: bool = False
    principal_if_major: bool = False
    description: str = ""
    extra: dict = field(default_factory=dict)


_invalid = Unprocessable.field


def _record(ctx: Context, key: str, value) -> None:
    ctx.hazard.details = {**ctx.hazard.details, key: value}


def jsonable(data: dict) -> dict:
    """A JSON-safe copy (dates, decimals and ids as text)."""
    return json.loads(json.dumps(data, default=str))


def fix_on_site(ctx: Context) -> str:
    """Fixed during the visit: closed on site, with the after-photo."""
    ctx.require_photos(ctx.data["after_photo_ids"])
    ctx.hazard.closure_type = "on_site"
    return "closed"


def issue_notice(ctx: Context) -> str:
    """Serve a notice: the variant's rules, deadline, recheck date, signing inspectors."""
    d = ctx.data
    if d["issuer_kind"] == "enforcement" and ctx.actor.inspector_kind != "enforcement_officer":
        raise _invalid("issuer_kind", "Only enforcement officers issue enforcement orders.")
    if d["issuer_kind"] == "third_party" and not d.get("commissioned_by"):
        raise _invalid("commissioned_by", "Third-party notices name the commissioning party.")
    if d["deadline"] < ctx.today:
        raise _invalid("deadline", "The deadline cannot be in the past.")
    if d["recheck_date"] < d["deadline"]:
        raise _invalid("recheck_date", "The recheck comes on or after the deadline.")
    ctx.require_inspectors(d["inspector_ids"], d["issuer_kind"] == "enforcement")
    ctx.hazard.deadline, ctx.hazard.recheck_date = d["deadline"], d["recheck_date"]
    _record(ctx, "notice", jsonable(d))
    return "notice_issued"


def assign(ctx: Context) -> str:
    """Self-check: the enterprise takes the hazard on with its five points."""
    d = ctx.data
    if d["deadline"] < ctx.today:
        raise _invalid("deadline", "The deadline cannot be in the past.")
    for key, value in d.items():
        setattr(ctx.hazard, key, value)
    return "rectifying"


def acknowledge(ctx: Context) -> str:
    """The notice is received (签收); the deadline runs from service."""
    d = ctx.data
    if d["method"] != "electronic" and not d.get("signature_photo_id"):
        raise _invalid("signature_photo_id", "A signature is required unless served electronically.")
    if d.get("signature_photo_id"):
        ctx.require_photos([d["signature_photo_id"]])
    _record(ctx, "receipt", jsonable(d))
    return "rectifying"


def record_refusal(ctx: Context) -> str:
    """Refusal to sign (拒签) is recorded with evidence; the deadline still runs."""
    ctx.require_photos(ctx.data["evidence_photo_ids"])
    _record(ctx, "receipt", {**jsonable(ctx.data), "refused": True})
    return "rectifying"


def request_extension(ctx: Context) -> str:
    """Ask for a later deadline, early enough before the current one."""
    d, hazard = ctx.data, ctx.hazard
    lead = int(ctx.settings.get("extension_min_days", 10))
    if hazard.deadline is None:
        raise _invalid("proposed_deadline", "There is no deadline to extend.")
    if (hazard.deadline - ctx.today).days < lead:
        raise _invalid("proposed_deadline", f"Extensions are requested at least {lead} days before the deadline.")
    if d["proposed_deadline"] <= hazard.deadline:
        raise _invalid("proposed_deadline", "The proposed deadline must be later than the current one.")
    _record(ctx, "extension_request", jsonable(d))
    return "extension_requested"


def approve_extension(ctx: Context) -> str:
    """Grant the later deadline (the old one stays in the history)."""
    if ctx.hazard.deadline and ctx.data["new_deadline"] <= ctx.hazard.deadline:
        raise _invalid("new_deadline", "The new deadline must be later than the current one.")
    ctx.data["old_deadline"] = ctx.hazard.deadline
    ctx.hazard.deadline = ctx.data["new_deadline"]
    return "rectifying"


def deny_extension(ctx: Context) -> str:
    """Refuse the extension; the current deadline stands."""
    return "rectifying"


def submit_reply(ctx: Context) -> str:
    """The enterprise reports the rectification done (a major hazard needs its plan first)."""
    d = ctx.data
    if ctx.hazard.level == "major" and "remediation_plan" not in ctx.hazard.details:
        raise _invalid("measures", "A major hazard needs its remediation plan before a reply.")
    if d["completed_on"] > ctx.today:
        raise _invalid("completed_on", "The completion date cannot be in the future.")
    ctx.require_photos(d["after_photo_ids"] + d["before_photo_ids"])
    _record(ctx, "reply", jsonable(d))
    return "reply_submitted"


def return_reply(ctx: Context) -> str:
    """Send a reply back as incomplete."""
    return "rectifying"


def recheck_pass(ctx: Context) -> str:
    """Recheck passed: closed."""
    ctx.require_photos(ctx.data["photo_ids"])
    ctx.hazard.closure_type = "recheck_pass"
    return "closed"


def recheck_fail(ctx: Context) -> str:
    """Recheck failed: a new deadline opens the next round."""
    if ctx.data["new_deadline"] < ctx.today:
        raise _invalid("new_deadline", "The new deadline cannot be in the past.")
    ctx.require_photos(ctx.data["photo_ids"])
    ctx.hazard.deadline = ctx.data["new_deadline"]
    ctx.hazard.round += 1
    return "rectifying"


def escalate(ctx: Context) -> str:
    """Hand the hazard to an external authority (listing and stop orders set their flags)."""
    ctx.require_photos(ctx.data["evidence_photo_ids"])
    kind = ctx.data["escalation_type"]
    if kind == "listed_supervision":
        ctx.hazard.is_listed = True
    if kind == "stop_work":
        ctx.hazard.stop_order_active = True
    _record(ctx, "escalation", jsonable(ctx.data))
    return "escalated"


def record_outcome(ctx: Context) -> str:
    """The authority's decision: back to rectification, written off or delisted."""
    d = ctx.data
    if d["outcome"] == "rectifying":
        if not d.get("new_deadline") or d["new_deadline"] < ctx.today:
            raise _invalid("new_deadline", "Returning to rectification needs a new deadline.")
        ctx.hazard.deadline = d["new_deadline"]
        return "rectifying"
    if d["outcome"] == "delisted" and not ctx.hazard.is_listed:
        raise _invalid("outcome", "Only a listed hazard is delisted.")
    ctx.hazard.closure_type = d["outcome"]
    return "closed"


def void(ctx: Context) -> str:
    """A duplicate or a mistake: voided, its number kept."""
    if ctx.data["reason"] == "duplicate" and not ctx.data.get("duplicate_of"):
        raise _invalid("duplicate_of", "Name the hazard this one duplicates.")
    if ctx.data.get("duplicate_of") == ctx.hazard.id:
        raise _invalid("duplicate_of", "A hazard cannot duplicate itself.")
    return "voided"


def _keep_state(key: str) -> Callable[[Context], str]:
    def effect(ctx: Context) -> str:
        _record(ctx, key, jsonable(ctx.data))
        return ctx.hazard.status

    return effect


def submit_plan(ctx: Context) -> str:
    """The major hazard's six-part remediation plan (after its report)."""
    if "major_report" not in ctx.hazard.details:
        raise _invalid("objectives", "Report the major hazard before its remediation plan.")
    if ctx.data["time_limit"] < ctx.today:
        raise _invalid("time_limit", "The time limit cannot be in the past.")
    ctx.hazard.deadline = ctx.hazard.deadline or ctx.data["time_limit"]
    return _keep_state("remediation_plan")(ctx)


def apply_resume(ctx: Context) -> str:
    """Apply to resume production (after a passed assessment)."""
    if not ctx.hazard.details.get("assessment", {}).get("passed"):
        raise _invalid("application", "A passed assessment comes before the resumption application.")
    return _keep_state("resume_application")(ctx)


def _close_major(closure: str) -> Callable[[Context], str]:
    def effect(ctx: Context) -> str:
        if "resume_application" not in ctx.hazard.details and ctx.hazard.stop_order_active:
            raise _invalid("acceptance_note", "Production stopped: the resumption application comes first.")
        if closure == "delisted" and not ctx.hazard.is_listed:
            raise _invalid("acceptance_note", "Only a listed hazard is delisted.")
        _record(ctx, "acceptance", jsonable(ctx.data))
        ctx.hazard.closure_type = closure
        ctx.hazard.stop_order_active = False
        return "closed"

    return effect


_TABLE = (
    Action("fix_on_site", ("registered",), (INSPECTOR, MANAGER, OFFICER), s.FixOnSiteSchema, fix_on_site),
    Action("issue_notice", ("registered",), (INSPECTOR,), s.IssueNoticeSchema, issue_notice),
    Action("assign", ("registered",), (OFFICER,), s.AssignSchema, assign),
    Action("acknowledge", ("notice_issued",), (PRINCIPAL, OFFICER, INSPECTOR), s.AcknowledgeSchema, acknowledge),
    Action("record_refusal", ("notice_issued",), (INSPECTOR,), s.RefusalSchema, record_refusal),
    Action("request_extension", ("rectifying",), (OFFICER, PRINCIPAL), s.ExtensionRequestSchema, request_extension,
           principal_if_major=True),
    Action("approve_extension", ("extension_requested",), (INSPECTOR, MANAGER), s.ApproveExtensionSchema,
           approve_extension),
    Action("deny_extension", ("extension_requested",), (INSPECTOR, MANAGER), s.ReasonSchema, deny_extension),
    Action("submit_reply", ("rectifying",), (OFFICER, PRINCIPAL), s.ReplySchema, submit_reply,
           principal_if_major=True),
    Action("return_reply", ("reply_submitted",), (INSPECTOR,), s.ReturnReplySchema, return_reply),
    Action("recheck_pass", ("reply_submitted", "rectifying"), (INSPECTOR,), s.RecheckPassSchema, recheck_pass),
    Action("recheck_fail", ("reply_submitted", "rectifying"), (INSPECTOR,), s.RecheckFailSchema, recheck_fail),
    Action("escalate", OPEN, (MANAGER,), s.EscalateSchema, escalate),
    Action("record_outcome", ("escalated",), (MANAGER,), s.OutcomeSchema, record_outcome),
    Action("void", (*OPEN, "escalated"), (MANAGER,), s.VoidSchema, void),
    Action("report_major", ("registered", "notice_issued", "rectifying"), (PRINCIPAL, INSPECTOR, MANAGER),
           s.MajorReportSchema, _keep_state("major_report"), major_only=True),
    Action("submit_plan", ("notice_issued", "rectifying", "extension_requested"), (PRINCIPAL,),
           s.RemediationPlanSchema, submit_plan, major_only=True),
    Action("record_assessment", ("rectifying", "reply_submitted"), (PRINCIPAL, INSPECTOR), s.AssessmentSchema,
           _keep_state("assessment"), major_only=True),
    Action("apply_resume", ("rectifying", "reply_submitted"), (PRINCIPAL,), s.ResumeSchema, apply_resume,
           major_only=True),
    Action("write_off", ("rectifying", "reply_submitted"), (MANAGER,), s.AcceptanceSchema,
           _close_major("written_off"), major_only=True),
    Action("delist", ("rectifying", "reply_submitted", "escalated"), (MANAGER,), s.AcceptanceSchema,
           _close_major("delisted"), major_only=True),
)  # fmt: skip

ACTIONS: dict[str, Action] = {action.name: action for action in _TABLE}


def role_may(action: Action, hazard: Hazard, actor: Actor) -> bool:
    """True when the actor's role may take `action` on this hazard at all."""
    if actor.role not in action.roles:
        return False
    return not (action.principal_if_major and hazard.level == "major" and actor.role != PRINCIPAL)


def applies(action: Action, hazard: Hazard) -> bool:
    """True when `action` applies to the hazard's state and level."""
    if hazard.status not in action.sources:
        return False
    return not (action.major_only and hazard.level != "major")


def allowed_actions(hazard: Hazard, actor: Actor) -> list[str]:
    """Actions the actor may take on the hazard now."""
    return [a.name for a in _TABLE if applies(a, hazard) and role_may(a, hazard, actor)]
