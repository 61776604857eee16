"""The WSGI entry point: the only module-level app."""

from inspect_service import create_app

app = create_app()
