"""Sign-in endpoints."""

from flask import request

from inspect_service.auth import service
from inspect_service.auth.actor import current_actor
from inspect_service.auth.schemas import LoginSchema, PasswordChangeSchema, RefreshSchema, TokenPairSchema
from inspect_service.common.blueprint import Blueprint
from inspect_service.extensions import db

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Sign-in, token refresh, sign-out")


@blp.route("/login", methods=["POST"])
@blp.arguments(LoginSchema)
@blp.response(200, TokenPairSchema)
@blp.doc(security=[])
def login(body):
    """Sign in with username and password."""
    pair = service.login(session=db.session, address=request.remote_addr or "", **body)
    db.session.commit()
    return pair


@blp.route("/refresh", methods=["POST"])
@blp.arguments(RefreshSchema)
@blp.response(200, TokenPairSchema)
@blp.doc(security=[])
def refresh(body):
    """Exchange a refresh token for a new pair (the old one is spent)."""
    pair = service.refresh(session=db.session, refresh_token=body["refresh_token"])
    db.session.commit()
    return pair


@blp.route("/logout", methods=["POST"])
@blp.response(204)
def logout():
    """End the current session."""
    service.logout(session=db.session, actor=current_actor())
    db.session.commit()


@blp.route("/password", methods=["POST"])
@blp.arguments(PasswordChangeSchema)
@blp.response(204)
def change_password(body):
    """Change your password; every session of yours ends."""
    service.change_password(session=db.session, actor=current_actor(), **body)
    db.session.commit()
