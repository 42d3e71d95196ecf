"""The data model. Importing this package registers every table on db.metadata."""

from .audit import AuditEntry
from .charity import Charity, CharityMember, charity_causes
from .enums import (
    INCOME_BAND_LABELS,
    REGIONS,
    BoardExperience,
    CharityStatus,
    IncomeBand,
    NeedStatus,
    Role,
    SkillLevel,
)
from .match import LIVE_STATES, OPEN_STATES, Match, MatchState, MatchTransition, RejectReason, Reply
from .need import Need, NeedSkill, need_causes
from .outbox import EmailEvent, OutboxMessage, OutboxStatus
from .ranker_change import ChangeKind, RankerChange
from .ranker_run import ACTIVE_RUN_STATES, RankerRun, RunState
from .ranker_weights import RankerWeights, WeightsStatus
from .remember import RememberToken
from .self_service import (
    AlertFrequency,
    BoardMember,
    CharityInvitation,
    SentAlert,
    board_member_skills,
)
from .taxonomy import Cause, Skill
from .token import OneTimeToken
from .user import User, normalise_email
from .volunteer import VolunteerProfile, VolunteerSkill, volunteer_causes

__all__ = [
    "ACTIVE_RUN_STATES",
    "INCOME_BAND_LABELS",
    "LIVE_STATES",
    "OPEN_STATES",
    "REGIONS",
    "AlertFrequency",
    "AuditEntry",
    "BoardExperience",
    "BoardMember",
    "Cause",
    "ChangeKind",
    "Charity",
    "CharityInvitation",
    "CharityMember",
    "CharityStatus",
    "EmailEvent",
    "IncomeBand",
    "Match",
    "MatchState",
    "MatchTransition",
    "Need",
    "NeedSkill",
    "NeedStatus",
    "OneTimeToken",
    "OutboxMessage",
    "OutboxStatus",
    "RankerChange",
    "RankerRun",
    "RankerWeights",
    "RejectReason",
    "RememberToken",
    "Reply",
    "Role",
    "RunState",
    "SentAlert",
    "Skill",
    "SkillLevel",
    "User",
    "VolunteerProfile",
    "VolunteerSkill",
    "WeightsStatus",
    "board_member_skills",
    "charity_causes",
    "need_causes",
    "normalise_email",
    "volunteer_causes",
]
