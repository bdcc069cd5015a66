"""Alembic's environment for the workspace: migrations run on the connection kumenet hands
over (``config.attributes["connection"]``), never from an alembic.ini."""

from alembic import context

from kumenet.workspace.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
