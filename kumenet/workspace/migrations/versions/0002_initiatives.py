"""Cluster initiatives: their members (spells of membership), activities and the figures a
centre uploads.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('initiatives',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('centre_id', sa.String(length=36), nullable=False),
    sa.Column('provinces', sa.JSON(), nullable=False),
    sa.Column('sectors', sa.JSON(), nullable=False),
    sa.Column('coordinator', sa.String(length=200), nullable=True),
    sa.Column('start_year', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], name=op.f('fk_initiatives_centre_id_centres')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_initiatives_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiatives')),
    sa.UniqueConstraint('code', name=op.f('uq_initiatives_code'))
    )
    op.create_index(op.f('ix_initiatives_centre_id'), 'initiatives', ['centre_id'], unique=False)
    op.create_table('initiative_members',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('initiative_id', sa.String(length=36), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('in_network', sa.Boolean(), nullable=False),
    sa.Column('joined', sa.Date(), nullable=False),
    sa.Column('left', sa.Date(), nullable=True),
    sa.Column('added_by', sa.String(length=36), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['added_by'], ['users.id'], name=op.f('fk_initiative_members_added_by_users')),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_initiative_members_initiative_id_initiatives')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiative_members'))
    )
    op.create_index(op.f('ix_initiative_members_actor'), 'initiative_members', ['actor'], unique=False)
    op.create_index(op.f('ix_initiative_members_initiative_id'), 'initiative_members', ['initiative_id'], unique=False)
    op.create_table('activities',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('initiative_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_activities_created_by_users')),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_activities_initiative_id_initiatives')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    op.create_index(op.f('ix_activities_initiative_id'), 'activities', ['initiative_id'], unique=False)
    op.create_table('activity_participants',
    sa.Column('activity_id', sa.String(length=36), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_participants_activity_id_activities')),
    sa.PrimaryKeyConstraint('activity_id', 'actor', name=op.f('pk_activity_participants'))
    )
    op.create_table('initiative_figures',
    sa.Column('initiative_id', sa.String(length=36), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('figure', sa.String(length=30), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('uploaded_by', sa.String(length=36), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_initiative_figures_initiative_id_initiatives')),
    sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_initiative_figures_uploaded_by_users')),
    sa.PrimaryKeyConstraint('initiative_id', 'actor', 'year', 'figure', name=op.f('pk_initiative_figures'))
    )


def downgrade() -> None:
    raise RuntimeError("a workspace is never downgraded: restore its backup instead")
