"""What staff record: introductions, their stages and outcomes, accounts, initiatives (SQLite or
PostgreSQL, migrated by Alembic)."""
