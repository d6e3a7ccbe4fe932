"""Alembic migrations of the client's local store (run by ``engine.migrate``)."""
