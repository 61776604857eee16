"""`flask documents fonts`: build the cached CJK font instances before the first document is issued."""

import click
from flask import current_app
from flask.cli import AppGroup

from inspect_service.documents import service
from inspect_service.documents.pdf import fonts

documents_cli = AppGroup("documents", help="Issued documents.")


@documents_cli.command("fonts")
def build_fonts():
    """Build (once) and register the embedded CJK fonts; run at deploy so no request waits for it."""
    service.configure_fonts(current_app.config)
    names = fonts.register_fonts()
    click.echo(f"fonts ready: {names.regular}, {names.bold}")
