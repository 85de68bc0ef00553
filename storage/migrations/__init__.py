"""The schema's history: each step that brings an older database up to date, on SQLite and
PostgreSQL alike (`storage.migrations.steps.migrate`)."""
