"""The data model. Importing this package registers every table on db.metadata."""

from ..extensions import db
from .audit import AuditEntry
from .base import needs_trigrams
from .charity import Charity, CharityMember, charity_causes
from .embedding import EmbeddingKind, TextEmbedding
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
from .ranker_run import ACTIVE_RUN_STATES, ACTIVE_SLOTS, RankerRun, RunKind, RunState
from .ranker_weights import RankerWeights, WeightsStatus
from .recovery_code import RecoveryCode
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
    "ACTIVE_SLOTS",
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
    "EmbeddingKind",
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
    "RecoveryCode",
    "RejectReason",
    "RememberToken",
    "Reply",
    "Role",
    "RunKind",
    "RunState",
    "SentAlert",
    "Skill",
    "SkillLevel",
    "TextEmbedding",
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

needs_trigrams(db.metadata)
