"""Human-facing numbers: one counter row per (park, kind, year), allocated in the caller's transaction."""

import uuid

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel

from inspect_service.common import retry


class NumberCounter(SQLModel, table=True):
    """The last number handed out for a (park, kind, year); never goes back."""

    __tablename__ = "number_counter"

    park_id: uuid.UUID = Field(foreign_key="park.id", primary_key=True)
    kind: str = Field(max_length=32, primary_key=True)
    year: int = Field(primary_key=True)
    value: int = Field(default=0)


def allocate(session: Session, *, park_id: uuid.UUID, kind: str, year: int, count: int = 1) -> int:
    """Reserve `count` numbers and return the last; the row lock serialises concurrent allocators."""
    retry.hold_number_lock(session)  # a retried transaction now takes row locks NOWAIT (retry.lock_nowait)
    for _ in range(3):
        result = session.exec(
            update(NumberCounter)
            .where(NumberCounter.park_id == park_id, NumberCounter.kind == kind, NumberCounter.year == year)
            .values(value=NumberCounter.value + count)
            .returning(NumberCounter.value)
        ).first()
        if result is not None:
            return result[0]
        try:
            with session.begin_nested():
                session.add(NumberCounter(park_id=park_id, kind=kind, year=year, value=count))
            return count
        except IntegrityError:
            continue  # another transaction created the row first; take the update path
    raise RuntimeError("could not allocate a number")
