"""The console's pages; importing this package registers them on the blueprint."""

from inspect_service.web import errors
from inspect_service.web.blueprint import bp
from inspect_service.web.views import (  # noqa: F401
    auth,
    dashboard,
    documents,
    enterprises,
    hazard,
    ledger,
    photos,
    sync_issues,
)

errors.init_blueprint(bp)
