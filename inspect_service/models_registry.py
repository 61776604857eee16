"""Import every domain's tables so metadata (Alembic, tests, mappers) sees them all."""

from sqlmodel import SQLModel

from inspect_service.auth.models import AuthSession, RefreshToken
from inspect_service.campaigns.models import (
    Campaign,
    CampaignEvent,
    InspectionTask,
    Milestone,
    PatrolCadence,
    Phase,
    SamplingDraw,
)
from inspect_service.checklists.models import CheckItem, ChecklistTemplate
from inspect_service.common.counters import NumberCounter
from inspect_service.common.idempotency import IdempotencyRecord
from inspect_service.documents.models import Document, DocumentEvent, DocumentHazard
from inspect_service.enterprises.models import Enterprise
from inspect_service.hazards.models import Hazard, HazardEvent
from inspect_service.inspections.models import Inspection, InspectionResult
from inspect_service.notifications.models import Notification, OutboxDelivery, WebhookSubscription
from inspect_service.parks.models import Park
from inspect_service.photos.models import Photo
from inspect_service.reports.models import ReportJob
from inspect_service.selfchecks.models import SelfCheckReport, SelfCheckReportEvent
from inspect_service.sync.models import ChangeEntry, FeedCounter
from inspect_service.users.models import PortfolioEntry, User

metadata = SQLModel.metadata

__all__ = [
    "AuthSession",
    "Campaign",
    "CampaignEvent",
    "ChangeEntry",
    "CheckItem",
    "ChecklistTemplate",
    "Document",
    "DocumentEvent",
    "DocumentHazard",
    "Enterprise",
    "FeedCounter",
    "Hazard",
    "HazardEvent",
    "IdempotencyRecord",
    "Inspection",
    "InspectionResult",
    "InspectionTask",
    "Milestone",
    "Notification",
    "NumberCounter",
    "OutboxDelivery",
    "Park",
    "PatrolCadence",
    "Phase",
    "Photo",
    "PortfolioEntry",
    "RefreshToken",
    "ReportJob",
    "SamplingDraw",
    "SelfCheckReport",
    "SelfCheckReportEvent",
    "User",
    "WebhookSubscription",
    "metadata",
]  # fmt: skip
