"""User and portfolio endpoints, and /api/me."""

import uuid

from inspect_service.auth.actor import current_actor
from inspect_service.common.blueprint import Blueprint
from inspect_service.common.concurrency import IF_MATCH_DOC, etag, if_match_version
from inspect_service.extensions import db
from inspect_service.users import service
from inspect_service.users.schemas import (
    PortfolioSchema,
    UserCreateSchema,
    UserListArgsSchema,
    UserPageSchema,
    UserSchema,
    UserUpdateSchema,
)

blp = Blueprint("users", __name__, url_prefix="/api", description="Accounts and liaison portfolios")


@blp.route("/me", methods=["GET"])
@blp.response(200, UserSchema)
def me():
    """Your own account."""
    return service.me(session=db.session, actor=current_actor())


@blp.route("/users", methods=["GET"])
@blp.arguments(UserListArgsSchema, location="query")
@blp.response(200, UserPageSchema)
def list_users(args):
    """List accounts (admin: all; park manager: the park)."""
    return service.list_users(session=db.session, actor=current_actor(), **args)


@blp.route("/users", methods=["POST"])
@blp.arguments(UserCreateSchema)
@blp.response(201, UserSchema)
def create_user(body):
    """Create an account."""
    user = service.create(session=db.session, actor=current_actor(), user_in=body)
    db.session.commit()
    return user, {"ETag": etag(user.version)}


@blp.route("/users/<uuid:user_id>", methods=["GET"])
@blp.response(200, UserSchema)
def get_user(user_id: uuid.UUID):
    """Read one account."""
    user = service.get(session=db.session, actor=current_actor(), user_id=user_id)
    return user, {"ETag": etag(user.version)}


@blp.route("/users/<uuid:user_id>", methods=["PATCH"])
@blp.arguments(UserUpdateSchema)
@blp.response(200, UserSchema)
@blp.doc(parameters=[IF_MATCH_DOC])
def update_user(body, user_id: uuid.UUID):
    """Change an account; send If-Match."""
    user = service.update(
        session=db.session, actor=current_actor(), user_id=user_id, version=if_match_version(), changes=body
    )
    db.session.commit()
    return user, {"ETag": etag(user.version)}


@blp.route("/users/<uuid:user_id>/portfolio", methods=["GET"])
@blp.response(200, PortfolioSchema)
def get_portfolio(user_id: uuid.UUID):
    """The enterprises a liaison officer or expert is responsible for."""
    return {"enterprise_ids": service.get_portfolio(session=db.session, actor=current_actor(), user_id=user_id)}


@blp.route("/users/<uuid:user_id>/portfolio", methods=["PUT"])
@blp.arguments(PortfolioSchema)
@blp.response(200, PortfolioSchema)
def set_portfolio(body, user_id: uuid.UUID):
    """Replace the portfolio."""
    ids = service.set_portfolio(session=db.session, actor=current_actor(), user_id=user_id, **body)
    db.session.commit()
    return {"enterprise_ids": ids}
