"""Alembic: upgrading an empty database gives exactly the models' schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from inspect_service.models_registry import metadata


def test_migrated_database_matches_models(database_url):
    engine = create_engine(database_url)  # read-only: no IMMEDIATE transaction beside the test's own
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_every_model_table_comes_from_a_migration(unmigrated_tables):
    assert unmigrated_tables == [], "models without a migration (the test harness created these tables itself)"
