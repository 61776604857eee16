"""Keyset pagination over an ordered pair of columns (a sort key and the id)."""

import base64
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import and_, or_

from inspect_service.errors import Unprocessable


@dataclass
class Page:
    """One page of results and the cursor of the next one (None at the end)."""

    items: list
    next_cursor: str | None


def encode_cursor(values: list) -> str:
    """Encode the last row's key values as an opaque cursor."""
    raw = json.dumps([str(v) for v in values], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[str]:
    """Decode a cursor; a malformed one is a 422."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not (isinstance(values, list) and len(values) == size and all(isinstance(v, str) for v in values)):
            raise ValueError
        return values
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise Unprocessable("Malformed cursor.", errors={"cursor": ["Malformed cursor."]}) from exc


def keyset_page(
    session, query, *, sort_col, id_col, sort_attr: str, limit: int, cursor: str | None, parse=str,
    newest_first: bool = False,
) -> Page:  # fmt: skip
    """Return one page of `query` ordered by (sort_col, id_col), descending with `newest_first`; `parse` reads the
    sort value from a cursor."""
    if cursor:
        sort_text, id_text = decode_cursor(cursor, 2)
        try:
            sort_value, id_value = parse(sort_text), uuid.UUID(id_text)
        except ValueError as exc:
            raise Unprocessable("Malformed cursor.", errors={"cursor": ["Malformed cursor."]}) from exc
        if newest_first:
            query = query.where(or_(sort_col < sort_value, and_(sort_col == sort_value, id_col < id_value)))
        else:
            query = query.where(or_(sort_col > sort_value, and_(sort_col == sort_value, id_col > id_value)))
    order = (sort_col.desc(), id_col.desc()) if newest_first else (sort_col, id_col)
    rows = list(session.exec(query.order_by(*order).limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        value = getattr(last, sort_attr)
        next_cursor = encode_cursor([value.isoformat() if hasattr(value, "isoformat") else value, last.id])
    return Page(items=rows, next_cursor=next_cursor)
