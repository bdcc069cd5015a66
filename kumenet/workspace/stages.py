"""The stages of an introduction, and the moves between them.

An introduction goes from a shortlist to a signed agreement the way the Cluster Knowledge
Centres work (after b2match's meeting requests and six-month follow-up, and Enterprise Europe
Network's expression of interest -> introduction -> partnership agreement):

shortlisted -> contacted (side A, side B) -> accepted | declined (a reason, which side) |
expired (no answer in N days) -> meeting_planned (date, place or online) -> met | not_held ->
follow_up (no further contact / knowledge gained / valuable contact / negotiation) ->
agreement (supply, joint application, joint export, MoU, ...) -> project_started -> completed.

Every move is an event that is never edited; the current stage is the last event's. A
mistake is corrected by a new event marked ``correction`` (any stage, with a note saying
why), which keeps the wrong one in the record.
"""

from __future__ import annotations

__all__ = ["newly_reached", "allowed", "reached"]


#: Stage -> the stages an event may move it to (besides a correction).
MOVES: dict[str, tuple[str, ...]] = {
    "shortlisted": ("contacted", "declined", "expired"),
    "contacted": ("contacted", "accepted", "declined", "expired"),
    "accepted": ("meeting_planned", "declined", "expired"),
    "declined": (),
    "expired": ("contacted",),
    "meeting_planned": ("meeting_planned", "met", "not_held"),
    "not_held": ("meeting_planned", "declined", "expired"),
    "met": ("follow_up", "agreement"),
    "follow_up": ("follow_up", "agreement"),
    "agreement": ("project_started", "completed"),
    "project_started": ("completed",),
    "completed": (),
}
STAGES = tuple(MOVES)
FIRST = "shortlisted"
#: Stages that close an introduction (nothing more is expected of staff).
CLOSED = frozenset({"declined", "expired", "completed"})
#: The funnel's steps and the stages an event of which shows the step was reached (an
#: introduction declined before anyone was contacted was not contacted).
FUNNEL = {
    "shortlisted": frozenset(STAGES),
    "contacted": frozenset(STAGES) - {"shortlisted", "declined", "expired"},
    "met": frozenset({"met", "follow_up", "agreement", "project_started", "completed"}),
    "agreement": frozenset({"agreement", "project_started", "completed"}),
    "project": frozenset({"project_started", "completed"}),
}
#: The column of ``introductions`` that keeps when each funnel step was first reached.
REACHED = {"contacted": "contacted_at", "met": "reached_met_at", "agreement": "agreement_at",
           "project": "project_at"}


def newly_reached(row: dict, stage: str) -> list[str]:
    """The ``REACHED`` columns an event to ``stage`` fills (those still empty).

    >>> newly_reached({"contacted_at": None, "reached_met_at": None, "agreement_at": None,
    ...                "project_at": None}, "met")
    ['contacted_at', 'reached_met_at']
    """
    return [column for step, column in REACHED.items()
            if stage in FUNNEL[step] and row.get(column) is None]


#: Follow-up ratings, weakest first (b2match's scale).
FOLLOW_UP = ("no_further_contact", "knowledge_gained", "valuable_contact", "negotiation")
#: Kinds of agreement.
AGREEMENTS = ("supply", "joint_application", "joint_export", "mou", "joint_venture", "other")
#: Why a side declined (an admin can add reasons; these are preset).
DECLINE_REASONS = ("not_relevant", "competitor", "quality_or_capacity", "already_in_contact",
                   "timing", "no_interest", "other")
SIDES = ("a", "b", "both")
#: Days without an answer after which a contacted introduction is listed as expired.
EXPIRE_DAYS = 30
#: Days after a meeting when the follow-up is due (b2match asks about six months on).
FOLLOW_UP_DAYS = 180


def allowed(stage: str | None, to: str, correction: bool = False) -> bool:
    """Whether an event may move an introduction at ``stage`` to ``to``.

    >>> allowed("shortlisted", "contacted"), allowed("shortlisted", "agreement")
    (True, False)
    >>> allowed("declined", "contacted"), allowed("declined", "contacted", correction=True)
    (False, True)
    """
    if to not in MOVES:
        return False
    if correction:
        return True
    return to in MOVES.get(stage or FIRST, ())


def reached(stage: str, step: str) -> bool:
    """Whether an event to ``stage`` shows the funnel's ``step`` was reached.

    >>> reached("follow_up", "met"), reached("declined", "met"), reached("accepted", "contacted")
    (True, False, True)
    """
    return stage in FUNNEL[step]
