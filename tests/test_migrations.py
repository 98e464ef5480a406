"""The migrations build exactly the tables the code declares (store/tables.py), on SQLite and
PostgreSQL: Alembic's autogenerate finds nothing to add, drop or alter after `upgrade`. Several
people add tables at once; this is what tells a migration that does not match its table."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from disputedesk.store import tables as t
from disputedesk.store.db import Database


def test_the_migrated_schema_is_the_declared_one(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, t.metadata)
    assert differences == []
