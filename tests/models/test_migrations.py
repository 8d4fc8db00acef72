"""The Alembic migrations build the schema the models describe, on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from models import migrate


def fresh_database(database_url: str, tmp_path) -> str:
    """Return an empty database next to the test one, named after it so parallel runs on other databases never meet."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.db'}"
    name = f"{url.database}_migration_check"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def test_migrations_match_the_models(database_url, tmp_path):
    target = fresh_database(database_url, tmp_path)
    migrate.upgrade(target)
    assert migrate.schema_drift(target) == []
    migrate.upgrade(target)  # running again is a no-op
