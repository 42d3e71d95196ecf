"""Closed vocabularies stored as short strings."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


class Role(enum.StrEnum):
    VOLUNTEER = "volunteer"
    CHARITY = "charity"
    STAFF = "staff"


class SkillLevel(enum.StrEnum):
    LEARNING = "learning"
    PRACTITIONER = "practitioner"
    EXPERT = "expert"


class BoardExperience(enum.StrEnum):
    NONE = "none"
    SOME = "some"
    CHAIRED = "chaired"


class NeedStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    PAUSED = "paused"
    FILLED = "filled"
    CLOSED = "closed"


class CharityStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class IncomeBand(enum.StrEnum):
    UNDER_100K = "under_100k"
    FROM_100K_TO_1M = "100k_1m"
    FROM_1M_TO_10M = "1m_10m"
    OVER_10M = "over_10m"

    @property
    def label(self) -> str:
        return INCOME_BAND_LABELS[self]


INCOME_BAND_LABELS = {
    IncomeBand.UNDER_100K: "Under £100,000",
    IncomeBand.FROM_100K_TO_1M: "£100,000 to £1 million",
    IncomeBand.FROM_1M_TO_10M: "£1 million to £10 million",
    IncomeBand.OVER_10M: "Over £10 million",
}

REGIONS = (
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
    "Wales",
    "Scotland",
    "Northern Ireland",
)


def str_enum(enum_cls: type[enum.StrEnum], length: int = 20) -> Enum:
    """A portable VARCHAR column type for a StrEnum, storing its values."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )
