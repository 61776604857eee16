"""Sign-in sessions (refresh-token families) and their refresh tokens."""

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from inspect_service.common.models import UTCDateTime, created_field, id_field, timestamp_field


class AuthSession(SQLModel, table=True):
    """One sign-in: the family of refresh tokens descending from a login."""

    __tablename__ = "auth_session"

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="app_user.id", index=True)
    created_at: datetime = created_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    revoked_at: datetime | None = timestamp_field()
    revoked_reason: str | None = Field(default=None, max_length=32)


class RefreshToken(SQLModel, table=True):
    """A single-use refresh token; using one again revokes its family, unless within the grace window of its first
    use (a lost response): then the same successor pair is minted again from what is kept here, never stored raw."""

    __tablename__ = "refresh_token"

    id: uuid.UUID = id_field()
    session_id: uuid.UUID = Field(foreign_key="auth_session.id", index=True)
    issued_at: datetime = created_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = timestamp_field()
    successor_id: uuid.UUID | None = Field(default=None)  # the refresh token this one was exchanged for
    access_jti: uuid.UUID | None = Field(default=None)  # the access token issued with this one …
    access_expires_at: datetime | None = timestamp_field()  # … and its expiry (its iat is `issued_at`)
