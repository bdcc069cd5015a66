"""The workspace's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Keys are UUIDs written as text (portable, and a SQLite workspace copies into PostgreSQL as it
is); times are UTC. Every record that belongs to a centre says which. Actors are referred to
by their network id, so records survive a refreshed network (an actor that disappears is
flagged on the pages, never dropped). The audit log and the events of introductions are
append-only: triggers in the database refuse to change or delete their rows (see the
migration).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s"})

ID = sa.String(36)
ACTOR = sa.String(200)  # a network id
NAME = sa.String(200)

centres = sa.Table(
    "centres", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("code", sa.String(40), nullable=False, unique=True),
    sa.Column("name", NAME, nullable=False),
    sa.Column("province", sa.String(80)),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

users = sa.Table(
    "users", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("username", sa.String(80), nullable=False, unique=True),  # folded
    sa.Column("display_name", NAME, nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("centre_id", ID, sa.ForeignKey("centres.id")),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("password_changed_at", sa.DateTime, nullable=False),
    sa.CheckConstraint("role IN ('admin', 'staff', 'researcher')", name="role"),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),  # sha256 of the token
    sa.Column("user_id", ID, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("last_seen_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False),
    sa.Column("address", sa.String(64)),
    sa.Column("revoked", sa.Boolean, nullable=False, default=False),
)

login_attempts = sa.Table(
    "login_attempts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(80), nullable=False, index=True),
    sa.Column("address", sa.String(64), nullable=False, index=True),
    sa.Column("at", sa.DateTime, nullable=False, index=True),
    sa.Column("success", sa.Boolean, nullable=False),
)

introductions = sa.Table(
    "introductions", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("centre_id", ID, sa.ForeignKey("centres.id"), nullable=False, index=True),
    sa.Column("created_by", ID, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("source", ACTOR, nullable=False, index=True),
    sa.Column("target", ACTOR, nullable=False, index=True),
    sa.Column("origin", sa.String(20), nullable=False),  # suggestion, profile, consortium, hand
    sa.Column("scope", sa.String(20)),
    sa.Column("strength", sa.Integer),
    sa.Column("rank", sa.Integer),
    sa.Column("score", sa.Float),
    sa.Column("scorer", sa.String(200)),
    sa.Column("private", sa.Boolean, nullable=False, default=False),
    # What the events say now (kept with every event, in its transaction): the pages list
    # 100,000 introductions without reading a million events. ``seq`` is the last event's.
    sa.Column("stage", sa.String(20), nullable=False),
    sa.Column("stage_at", sa.DateTime, nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("meeting_at", sa.DateTime),
    sa.Column("met_at", sa.DateTime),
    # When each step of the funnel was first reached (stages.FUNNEL), kept with the events:
    # the funnel counts introductions, not a million events.
    sa.Column("contacted_at", sa.DateTime),
    sa.Column("reached_met_at", sa.DateTime),
    sa.Column("agreement_at", sa.DateTime),
    sa.Column("project_at", sa.DateTime),
    sa.Index("ix_introductions_centre_stage", "centre_id", "stage", "stage_at"),
    sa.Index("ix_introductions_stage_at", "stage_at"),
    sa.Index("ix_introductions_stage_stage_at", "stage", "stage_at"),
    sa.Index("ix_introductions_stage_met", "stage", "met_at"),
)

members = sa.Table(  # a group introduction's actors beyond source and target
    "introduction_members", metadata,
    sa.Column("introduction_id", ID, sa.ForeignKey("introductions.id"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("actor", ACTOR, nullable=False, index=True),
)

events = sa.Table(
    "events", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("introduction_id", ID, sa.ForeignKey("introductions.id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("user_id", ID, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("from_stage", sa.String(20)),
    sa.Column("to_stage", sa.String(20), nullable=False),
    sa.Column("side", sa.String(8)),
    sa.Column("reason", sa.String(60)),
    sa.Column("note", sa.Text),
    sa.Column("details", sa.JSON),  # meeting time and place, rating, agreement kind
    sa.Column("correction", sa.Boolean, nullable=False, default=False),
    sa.UniqueConstraint("introduction_id", "seq", name="uq_events_introduction_seq"),
)

notes = sa.Table(
    "notes", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("actor", ACTOR, nullable=False, index=True),
    sa.Column("centre_id", ID, sa.ForeignKey("centres.id")),
    sa.Column("author_id", ID, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("visibility", sa.String(10), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.CheckConstraint("visibility IN ('private', 'centre', 'national')", name="visibility"),
)

contacts = sa.Table(
    "contacts", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("actor", ACTOR, nullable=False, index=True),
    sa.Column("centre_id", ID, sa.ForeignKey("centres.id")),
    sa.Column("created_by", ID, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("name", NAME),
    sa.Column("role", NAME),
    sa.Column("phone", sa.String(60)),
    sa.Column("email", sa.String(200)),
    sa.Column("consent", sa.Boolean, nullable=False),
    sa.Column("consent_note", sa.String(500)),
    sa.Column("erased_at", sa.DateTime),
)

impressions = sa.Table(  # every suggestion shown to someone
    "impressions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False, index=True),
    sa.Column("user_id", ID, sa.ForeignKey("users.id")),
    sa.Column("source", ACTOR, nullable=False),
    sa.Column("target", ACTOR, nullable=False),
    sa.Column("rank", sa.Integer),
    sa.Column("score", sa.Float),
    sa.Column("strength", sa.Integer),
    sa.Column("scope", sa.String(20)),
    sa.Column("scorer", sa.String(200)),
    sa.Column("page", sa.String(40)),
    sa.Index("ix_impressions_pair", "source", "target"),
)

choices = sa.Table(  # lists an admin keeps: decline reasons, agreement kinds
    "choices", metadata,
    sa.Column("list", sa.String(40), primary_key=True),
    sa.Column("code", sa.String(60), primary_key=True),
    sa.Column("label_tr", NAME, nullable=False),
    sa.Column("label_en", NAME, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
)

settings = sa.Table(
    "settings", metadata,
    sa.Column("key", sa.String(60), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)

audit = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False, index=True),
    sa.Column("user_id", ID),
    sa.Column("username", sa.String(80)),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("record_type", sa.String(40), nullable=False),
    sa.Column("record_id", sa.String(200)),
    sa.Column("before", sa.JSON),
    sa.Column("after", sa.JSON),
    sa.Column("address", sa.String(64)),
)

initiatives = sa.Table(  # a cluster initiative a centre coordinates
    "initiatives", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("code", sa.String(60), nullable=False, unique=True),  # folded name
    sa.Column("name", NAME, nullable=False),
    sa.Column("centre_id", ID, sa.ForeignKey("centres.id"), nullable=False, index=True),
    sa.Column("provinces", sa.JSON, nullable=False),  # province names
    sa.Column("sectors", sa.JSON, nullable=False),  # NACE codes (division or class)
    sa.Column("coordinator", ACTOR),  # the coordinating institution's network id
    sa.Column("start_year", sa.Integer, nullable=False),
    sa.Column("created_by", ID, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

initiative_members = sa.Table(  # one row per spell of membership (joined .. left)
    "initiative_members", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("initiative_id", ID, sa.ForeignKey("initiatives.id"), nullable=False,
              index=True),
    sa.Column("actor", ACTOR, nullable=False, index=True),  # a network id, or a name
    sa.Column("in_network", sa.Boolean, nullable=False),
    sa.Column("joined", sa.Date, nullable=False),
    sa.Column("left", sa.Date),
    sa.Column("added_by", ID, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("added_at", sa.DateTime, nullable=False),
)

activities = sa.Table(  # B2B meeting days, trainings, trade missions, fairs, facilities
    "activities", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("initiative_id", ID, sa.ForeignKey("initiatives.id"), nullable=False,
              index=True),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("title", NAME, nullable=False),
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("place", NAME),
    sa.Column("outcome", sa.Text),
    sa.Column("created_by", ID, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

activity_participants = sa.Table(
    "activity_participants", metadata,
    sa.Column("activity_id", ID, sa.ForeignKey("activities.id"), primary_key=True),
    sa.Column("actor", ACTOR, primary_key=True),
)

initiative_figures = sa.Table(  # figures a centre uploads: turnover, exports, R&D staff
    "initiative_figures", metadata,
    sa.Column("initiative_id", ID, sa.ForeignKey("initiatives.id"), primary_key=True),
    sa.Column("actor", ACTOR, primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("figure", sa.String(30), primary_key=True),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("uploaded_by", ID, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("uploaded_at", sa.DateTime, nullable=False),
)

#: Tables in the order a copy fills them (referenced before referring).
ORDER = ("centres", "users", "sessions", "login_attempts", "introductions",
         "introduction_members", "events", "notes", "contacts", "impressions", "choices",
         "settings", "initiatives", "initiative_members", "activities",
         "activity_participants", "initiative_figures", "audit")
