"""Campaign endpoints."""

import uuid

from inspect_service.auth.actor import current_actor
from inspect_service.campaigns import service, tasks
from inspect_service.campaigns.schemas import (
    CampaignCreateSchema,
    CampaignListArgsSchema,
    CampaignPageSchema,
    CampaignSchema,
    InspectionTaskPageSchema,
    PhaseChangeSchema,
    PhaseSchema,
    SamplingDrawSchema,
    TaskListArgsSchema,
)
from inspect_service.common.blueprint import Blueprint
from inspect_service.common.concurrency import etag
from inspect_service.extensions import db

blp = Blueprint("campaigns", __name__, url_prefix="/api/campaigns", description="Campaigns and their phases")


@blp.route("", methods=["GET"])
@blp.arguments(CampaignListArgsSchema, location="query")
@blp.response(200, CampaignPageSchema)
def list_campaigns(args):
    """Campaigns of your park."""
    return service.list_campaigns(session=db.session, actor=current_actor(), **args)


@blp.route("", methods=["POST"])
@blp.arguments(CampaignCreateSchema)
@blp.response(201, CampaignSchema)
def create_campaign(body):
    """Plan a campaign (park manager); `template: grand_inspection` reproduces the park plan."""
    actor = current_actor()
    campaign = service.create(session=db.session, actor=actor, campaign_in=body)
    db.session.commit()
    return service.detail(session=db.session, actor=actor, campaign_id=campaign.id), {"ETag": etag(campaign.version)}


@blp.route("/<uuid:campaign_id>", methods=["GET"])
@blp.response(200, CampaignSchema)
def get_campaign(campaign_id: uuid.UUID):
    """A campaign with its phases, milestones and history."""
    return service.detail(session=db.session, actor=current_actor(), campaign_id=campaign_id)


def _phase_view(action: str):
    def view(body, campaign_id: uuid.UUID, phase_id: uuid.UUID):
        phase = service.change_phase(
            session=db.session, actor=current_actor(), campaign_id=campaign_id, phase_id=phase_id, action=action, **body
        )
        db.session.commit()
        return phase

    view.__name__ = f"{action}_phase"
    view.__doc__ = "Close a phase early (park manager)." if action == "close" else "Extend a phase (park manager)."
    return view


for _action in ("close", "extend"):
    blp.route(f"/<uuid:campaign_id>/phases/<uuid:phase_id>/{_action}", methods=["POST"])(
        blp.arguments(PhaseChangeSchema)(blp.response(200, PhaseSchema)(_phase_view(_action)))
    )


@blp.route("/<uuid:campaign_id>/tasks", methods=["GET"])
@blp.arguments(TaskListArgsSchema, location="query")
@blp.response(200, InspectionTaskPageSchema)
def list_tasks(args, campaign_id: uuid.UUID):
    """The campaign's inspection tasks you may see (park staff: the park's; others: their enterprises')."""
    actor = current_actor()
    campaign = service.get(session=db.session, actor=actor, campaign_id=campaign_id)
    return tasks.list_tasks(session=db.session, actor=actor, campaign=campaign, **args)


@blp.route("/<uuid:campaign_id>/phases/<uuid:phase_id>/draw", methods=["GET"])
@blp.response(200, SamplingDrawSchema)
def get_draw(campaign_id: uuid.UUID, phase_id: uuid.UUID):
    """The phase's recorded spot-check draw, with its seed and rules (park staff)."""
    actor = current_actor()
    campaign = service.get(session=db.session, actor=actor, campaign_id=campaign_id)
    return tasks.get_draw(session=db.session, actor=actor, campaign=campaign, phase_id=phase_id)
