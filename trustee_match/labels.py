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

AUDIT_TARGET_NAMES = {
    "match": "A match",
    "charity": "A charity",
    "user": "An account",
    "outbox": "An email",
    "ranker_weights": "Ranker weights",
}
AUDIT_ACTION_NAMES = {
    "volunteer_contact_viewed": "Saw a volunteer's contact details",
    "charity_verified": "Verified a charity",
    "charity_rejected": "Declined to verify a charity",
    "match_proposed": "Proposed a match",
    "match_approved": "Approved a match",
    "match_rejected": "Rejected a match",
    "match_withdrawn": "Withdrew a match",
    "match_still_talking": "Recorded: still talking",
    "match_appointed": "Recorded: appointed",
    "match_not_proceeding": "Recorded: not going ahead",
    "email_requeued": "Sent an email again",
    "user_activated": "Reactivated an account",
    "user_deactivated": "Deactivated an account",
    "staff_created": "Staff account created",
    "password_reset": "Reset their password",
    "password_changed": "Changed their password",
    "ranker_proposals": "Asked the ranker for proposals",
    "ranker_weights_proposed": "Learned new ranker weights",
    "ranker_weights_approved": "Approved ranker weights",
    "ranker_weights_set_aside": "Set ranker weights aside",
    "ranker_weights_rolled_back": "Rolled the ranker weights back",
    "digest_opted_out": "Stopped the daily digest",
    "digest_opted_in": "Started the daily digest",
}


def action_name(action: str) -> str:
    """An audit log action in words (an unknown one: its name, spaced)."""
    return AUDIT_ACTION_NAMES.get(action, action.replace("_", " ").capitalize())


def audit_details(detail: dict | None) -> list[str]:
    """An audit entry's details as "Key: value" lines; a match's rejection reason in words."""
    lines = []
    reasons = {reason.value: words for reason, words in REJECT_REASON_NAMES.items()}
    for key, value in (detail or {}).items():
        if value in (None, "", [], {}):
            continue
        if key == "reason" and value in reasons:
            value = reasons[value]
        lines.append(f"{key.replace('_', ' ').capitalize()}: {value}")
    return lines


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
