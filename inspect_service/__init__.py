"""inspect_service: safety inspections and hazard rectification for industrial parks."""

import os

from flask import Flask, send_from_directory
from werkzeug.middleware.proxy_fix import ProxyFix

from inspect_service import config as config_module
from inspect_service import errors
from inspect_service.errors import ProblemApi
from inspect_service.extensions import db

API_SETTINGS = {
    "API_TITLE": "inspect_service",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/api/docs/assets/",
    "API_SPEC_OPTIONS": {
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
        "security": [{"bearerAuth": []}],
        "info": {"description": "Safety inspections, hazards and rectification for industrial parks."},
    },
}


def create_app(config: dict | None = None) -> Flask:
    """Build the application: config, extensions, error handlers, blueprints, commands."""
    app = Flask(__name__, instance_relative_config=True)
    settings = config_module.from_environment(instance_path=app.instance_path)
    settings.update(config or {})
    app.config.update(config_module.validate(settings))
    app.config.update({k: v for k, v in API_SETTINGS.items() if k not in app.config})
    if app.config["DATABASE_URL"].startswith("sqlite:///") and ":memory:" not in app.config["DATABASE_URL"]:
        os.makedirs(os.path.dirname(app.config["DATABASE_URL"][len("sqlite:///") :]) or ".", exist_ok=True)
    register_extensions(app)
    register_errorhandlers(app)
    register_blueprints(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the database, the API, the login throttle, the token check and the file storage."""
    from inspect_service.auth import actor, throttle
    from inspect_service.common import compression, storage

    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"])
    db.init_app(app)
    app.extensions["api"] = ProblemApi(app)
    throttle.init_app(app)
    actor.init_app(app)
    storage.init_app(app)
    compression.init_app(app)  # gzip for large JSON answers


def register_errorhandlers(app: Flask) -> None:
    """Answer every error with problem+json."""
    errors.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount every domain's routes."""
    import swagger_ui_bundle

    from inspect_service import field, web
    from inspect_service.auth.routes import blp as auth_blp
    from inspect_service.campaigns.routes import blp as campaigns_blp
    from inspect_service.campaigns.task_routes import cadences_blp, tasks_blp
    from inspect_service.checklists.routes import blp as checklists_blp
    from inspect_service.common.health import blp as health_blp
    from inspect_service.documents.routes import blp as documents_blp
    from inspect_service.documents.routes import verify_blp
    from inspect_service.enterprises.routes import blp as enterprises_blp
    from inspect_service.hazards.routes import blp as hazards_blp
    from inspect_service.inspections.routes import blp as inspections_blp
    from inspect_service.notifications.routes import blp as notifications_blp
    from inspect_service.parks.routes import blp as parks_blp
    from inspect_service.photos.routes import blp as photos_blp
    from inspect_service.reports.routes import blp as reports_blp
    from inspect_service.selfchecks.routes import blp as selfchecks_blp
    from inspect_service.sync.issue_routes import blp as sync_issues_blp
    from inspect_service.sync.routes import blp as sync_blp
    from inspect_service.users.routes import blp as users_blp

    api = app.extensions["api"]
    blueprints = (health_blp, auth_blp, parks_blp, enterprises_blp, users_blp, photos_blp, checklists_blp,
                  inspections_blp, hazards_blp, sync_blp, campaigns_blp, tasks_blp, cadences_blp, notifications_blp,
                  selfchecks_blp, documents_blp, verify_blp, reports_blp, sync_issues_blp)  # fmt: skip
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    web.init_app(app)  # the manager console (server-rendered pages under /console)
    field.init_app(app)  # the phone app (static files under /app)

    @app.get("/api/docs/assets/<path:filename>")
    def swagger_assets(filename):
        """Serve the Swagger UI files shipped by the swagger-ui-bundle package."""
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86400)


def register_commands(app: Flask) -> None:
    """Add the flask CLI commands."""
    from inspect_service import cli

    cli.init_app(app)
