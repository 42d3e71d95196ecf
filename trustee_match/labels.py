"""The one mapping from stored states and reasons to the words people read.

Every template shows a state through `state_name` (the `status_tag` macro uses it), so no page
prints "awaiting_replies". The match states' words live with the state machine
(matches/state.py); the rest are here.
"""

from __future__ import annotations

import enum

from .matches.state import STATE_LABELS
from .models import CharityStatus, MatchState, NeedStatus, OutboxStatus, RejectReason

NEED_STATUS_NAMES = {
    NeedStatus.DRAFT: "Draft",
    NeedStatus.OPEN: "Open",
    NeedStatus.PAUSED: "Paused",
    NeedStatus.FILLED: "Filled",
    NeedStatus.CLOSED: "Closed",
}
CHARITY_STATUS_NAMES = {
    CharityStatus.PENDING: "Waiting for verification",
    CharityStatus.VERIFIED: "Verified",
    CharityStatus.REJECTED: "Not verified",
}
OUTBOX_STATUS_NAMES = {
    OutboxStatus.PENDING: "Waiting to send",
    OutboxStatus.SENDING: "Sending",
    OutboxStatus.SENT: "Sent",
    OutboxStatus.FAILED: "Failed",
}
REJECT_REASON_NAMES = {
    RejectReason.SKILLS_MISMATCH: "Skills don't fit the role",
    RejectReason.LOCATION: "Location doesn't work",
    RejectReason.AVAILABILITY: "Not enough time available",
    RejectReason.CONFLICT_OF_INTEREST: "Conflict of interest",
    RejectReason.PROFILE_INCOMPLETE: "Profile too thin to judge",
    RejectReason.OTHER: "Other",
}
SOURCE_NAMES = {
    "ranker": "The ranker",
    "staff": "Staff, by hand",
    "interest": "Volunteer's interest",
}

_BY_TYPE: dict[type, dict] = {
    MatchState: {state: words.capitalize() for state, words in STATE_LABELS.items()},
    NeedStatus: NEED_STATUS_NAMES,
    CharityStatus: CHARITY_STATUS_NAMES,
    OutboxStatus: OUTBOX_STATUS_NAMES,
    RejectReason: REJECT_REASON_NAMES,
}


def state_name(value: enum.StrEnum | str | None) -> str:
    """The words for a state, status or reason. A bare string (a template passing `.value`)
    is looked up as a match state first, then as the other kinds, in that order."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return _BY_TYPE[type(value)][value]
    for names in _BY_TYPE.values():
        for member, words in names.items():
            if member.value == value:
                return words
    return str(value).replace("_", " ").capitalize()


def source_name(source: str) -> str:
    """Who proposed a match, in words."""
    return SOURCE_NAMES.get(source, source.capitalize())
