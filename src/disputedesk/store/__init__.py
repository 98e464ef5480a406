"""The store: tables, migrations and the database connection (SQLite or PostgreSQL)."""
