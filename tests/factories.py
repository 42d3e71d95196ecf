"""factory_boy factories for test data. They commit, like a finished earlier step would."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory

from trustee_match.extensions import db
from trustee_match.models import (
    BoardExperience,
    Charity,
    CharityMember,
    CharityStatus,
    Need,
    NeedSkill,
    NeedStatus,
    Role,
    Skill,
    SkillLevel,
    User,
    VolunteerProfile,
    VolunteerSkill,
)
from trustee_match.models.base import utcnow
from trustee_match.passwords import hash_password
from trustee_match.services.second_factor import encrypt_secret

from .conftest import PASSWORD, STAFF_TOTP_SECRET


class _Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class UserFactory(_Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    role = Role.VOLUNTEER
    password_hash = factory.LazyFunction(lambda: hash_password(PASSWORD))
    email_verified_at = factory.LazyFunction(utcnow)
    active = True


class VolunteerFactory(UserFactory):
    """A verified volunteer with a complete profile."""

    role = Role.VOLUNTEER
    volunteer_profile = factory.RelatedFactory(
        "tests.factories.ProfileFactory", factory_related_name="user"
    )


class ProfileFactory(_Base):
    class Meta:
        model = VolunteerProfile

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Alex Volunteer{n}")
    headline = "Head of data at a housing association"
    bio = "I lead a data team and want to help a charity use its data well."
    region = "London"
    remote_ok = True
    hours_per_month = 8
    board_experience = BoardExperience.NONE
    linkedin_url = "https://www.linkedin.com/in/alex-example"
    phone = "07700 900123"
    available = True


class CharityFactory(_Base):
    class Meta:
        model = Charity

    name = factory.Sequence(lambda n: f"Riverside Community Trust {n}")
    regulator_number = factory.Sequence(lambda n: f"{1100000 + n}")
    region = "Yorkshire and the Humber"
    town = "Leeds"
    status = CharityStatus.VERIFIED
    verified_at = factory.LazyFunction(utcnow)
    description = "We run youth clubs across the city."


class CharityUserFactory(UserFactory):
    """A verified charity member account, with its own charity unless one is given."""

    role = Role.CHARITY

    @factory.post_generation
    def charity(self, create: bool, extracted: Charity | None, **kwargs) -> None:
        charity = extracted or CharityFactory(**kwargs)
        db.session.add(CharityMember(charity=charity, user=self, contact_name="Sam Charity"))
        db.session.commit()


class StaffFactory(UserFactory):
    """A staff account with two-step verification set up (the app holds STAFF_TOTP_SECRET).
    `StaffFactory(totp_secret=None, second_factor_enabled_at=None)` is one not set up yet."""

    role = Role.STAFF
    totp_secret = factory.LazyFunction(lambda: encrypt_secret(STAFF_TOTP_SECRET))
    second_factor_enabled_at = factory.LazyFunction(utcnow)


class NeedFactory(_Base):
    class Meta:
        model = Need

    charity = factory.SubFactory(CharityFactory)
    title = factory.Sequence(lambda n: f"Digital trustee {n}")
    description = "Help our board make good decisions about technology and data."
    region = "Yorkshire and the Humber"
    town = "Leeds"
    remote_ok = True
    hours_per_month = 6
    closing_date = factory.LazyFunction(lambda: date.today() + timedelta(days=30))
    status = NeedStatus.OPEN
    published_at = factory.LazyFunction(utcnow)


def skill(slug: str) -> Skill:
    """A skill from the loaded taxonomy."""
    found = db.session.scalar(db.select(Skill).where(Skill.slug == slug))
    assert found is not None, f"no skill {slug!r} in the taxonomy"
    return found


def give_skills(
    profile: VolunteerProfile, *slugs: str, level: SkillLevel = SkillLevel.PRACTITIONER
):
    for slug in slugs:
        profile.skills.append(VolunteerSkill(skill=skill(slug), level=level))
    db.session.commit()


def need_skills(need: Need, required: tuple[str, ...] = (), desired: tuple[str, ...] = ()) -> None:
    for slug in required:
        need.skill_links.append(NeedSkill(skill=skill(slug), required=True))
    for slug in desired:
        need.skill_links.append(NeedSkill(skill=skill(slug), required=False))
    db.session.commit()
