"""Flask CLI commands: db upgrade, checklists load, demo, create-user, scheduler, serve."""

import contextlib
import os
import signal
import subprocess
import sys
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from inspect_service import migrate
from inspect_service import scheduler as scheduler_module
from inspect_service.extensions import db

db_cli = AppGroup("db", help="Database schema.")
scheduler_cli = AppGroup("scheduler", help="The scheduler process.")
checklists_cli = AppGroup("checklists", help="The check-item library.")


@db_cli.command("upgrade")
def db_upgrade():
    """Upgrade the database schema to the newest revision."""
    migrate.upgrade(current_app.config["DATABASE_URL"])
    click.echo("database upgraded")


@checklists_cli.command("load")
def checklists_load():
    """Load or refresh the national check-item library from checklists/library.yaml (idempotent)."""
    from inspect_service.checklists import library

    with db.session_scope() as session:
        result = library.load_library(session=session)
    click.echo(f"check items: {result.created} created, {result.updated} updated, {result.unchanged} unchanged")


@click.command("demo")
def demo_command():
    """Load the demo parks (does nothing when they exist) and print the accounts."""
    from inspect_service import demo

    with db.session_scope() as session:
        created = demo.load(session=session)
    click.echo("demo data loaded" if created else "demo data already present")
    click.echo(demo.accounts_text())


@click.command("create-user")
@click.option("--username", required=True)
@click.option("--display-name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(username, display_name, password):
    """Create an administrator account."""
    from inspect_service.demo import create_admin

    with db.session_scope() as session:
        create_admin(session=session, username=username, display_name=display_name, password=password)
    click.echo(f"administrator {username} created")


@scheduler_cli.command("list")
def scheduler_list():
    """List the registered jobs."""
    for job in scheduler_module.JOBS:
        click.echo(f"{job.id}\tevery {job.seconds}s\t{job.description}")


@scheduler_cli.command("run-once")
@click.argument("job_id")
def scheduler_run_once(job_id):
    """Run one job now."""
    if job_id not in scheduler_module.jobs_by_id():
        raise click.BadParameter(f"unknown job {job_id!r}; see 'scheduler list'")
    click.echo(scheduler_module.run_job(current_app._get_current_object(), job_id))


@scheduler_cli.command("run")
def scheduler_run():
    """Run the scheduler in the foreground (one per deployment)."""
    app = current_app._get_current_object()
    lock = scheduler_module.hold_leadership(app)
    scheduler = scheduler_module.build_scheduler(app)
    click.echo(f"scheduler running {len(scheduler_module.JOBS)} jobs; Ctrl-C stops")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        scheduler_module.release_leadership(lock)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--workers", default=2, show_default=True)
def serve_command(host, port, workers):
    """Start the web server (gunicorn) and the scheduler process together; Ctrl-C stops both."""
    env = dict(os.environ)
    bin_dir = os.path.dirname(sys.executable)
    children = [
        subprocess.Popen([os.path.join(bin_dir, "flask"), "--app", "wsgi", "scheduler", "run"], env=env),
        subprocess.Popen(
            [
                os.path.join(bin_dir, "gunicorn"),
                "-w",
                str(workers),
                "-b",
                f"{host}:{port}",
                "--access-logfile",
                "-",
                "wsgi:app",
            ],
            env=env,
        ),
    ]
    click.echo(f"API docs: http://{host}:{port}/api/docs   OpenAPI: http://{host}:{port}/api/openapi.json")
    click.echo(f"Manager console: http://{host}:{port}/console/")

    def stop(*_args):
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
    finally:
        stop()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


def init_app(app: Flask) -> None:
    """Register the commands on `app`."""
    from inspect_service.documents.cli import documents_cli

    for command in (db_cli, scheduler_cli, checklists_cli, demo_command, create_user_command, serve_command,
                    documents_cli):  # fmt: skip
        app.cli.add_command(command)
