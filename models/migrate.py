"""Schema migrations with Alembic: one call builds or upgrades the schema on any backend."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.autogenerate import compare_metadata
from sqlalchemy import create_engine

from models.base import Base

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str) -> Config:
    """Return an Alembic config pointed at our migrations and a database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the schema up to a revision (the newest by default)."""
    command.upgrade(alembic_config(database_url), revision)


def new_revision(database_url: str, message: str) -> None:
    """Write a migration for the difference between the models and the database."""
    command.revision(alembic_config(database_url), message=message, autogenerate=True)


def schema_drift(database_url: str) -> list:
    """Return the differences between the migrated database and the models (empty when in step)."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    return diff
