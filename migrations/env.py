"""Alembic environment: the metadata of every domain, online migrations only."""

from alembic import context

from inspect_service.common.db import make_engine
from inspect_service.models_registry import metadata

config = context.config


def run_migrations_online() -> None:
    """Run migrations on a connection to the configured database."""
    connectable = config.attributes.get("connection")
    if connectable is None:
        engine = make_engine(config.get_main_option("sqlalchemy.url"))
        with engine.connect() as connection:
            _run(connection)
        engine.dispose()
    else:
        _run(connectable)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
