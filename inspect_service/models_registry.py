"""Import every domain's tables so metadata (Alembic, tests, mappers) sees them all."""

from sqlmodel import SQLModel

from inspect_service.auth.models import AuthSession, RefreshToken
from inspect_service.enterprises.models import Enterprise
from inspect_service.parks.models import Park
from inspect_service.users.models import PortfolioEntry, User

metadata = SQLModel.metadata

__all__ = ["AuthSession", "Enterprise", "Park", "PortfolioEntry", "RefreshToken", "User", "metadata"]
