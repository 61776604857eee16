"""Choices and names that several pages show, each read through the service that scopes it."""

import uuid

from sqlmodel import select

from inspect_service.campaigns import service as campaign_service
from inspect_service.campaigns.models import Campaign, Phase
from inspect_service.enterprises import service as enterprise_service
from inspect_service.enterprises.models import Enterprise
from inspect_service.extensions import db
from inspect_service.users.models import User

MAX_CAMPAIGNS = 20
MAX_PHASES = 100


def enterprise_names(actor, ids: set) -> dict:
    """Names of the visible enterprises among `ids`."""
    if not ids:
        return {}
    query = enterprise_service.visible(select(Enterprise.id, Enterprise.name), actor).where(Enterprise.id.in_(ids))
    return dict(db.session.exec(query).all())


def user_names(ids: set) -> dict:
    """Display names of the people who acted on something the caller already sees (history, signatures)."""
    ids = {i for i in ids if isinstance(i, uuid.UUID)}
    if not ids:
        return {}
    return dict(db.session.exec(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def campaigns(actor) -> list:
    """The visible campaigns, newest first."""
    page = campaign_service.list_campaigns(session=db.session, actor=actor, limit=MAX_CAMPAIGNS, newest_first=True)
    return sorted(page.items, key=lambda c: (c.year, c.created_at), reverse=True)


def phases(actor) -> list[tuple]:
    """(phase id, "campaign · phase") of the visible campaigns' phases, newest campaign first."""
    query = campaign_service.visible(
        select(Phase.id, Campaign.name, Phase.name).join(Phase, Phase.campaign_id == Campaign.id), actor
    ).order_by(Campaign.year.desc(), Campaign.created_at.desc(), Phase.position)
    return [
        (phase_id, f"{campaign} · {phase}") for phase_id, campaign, phase in db.session.exec(query.limit(MAX_PHASES))
    ]
