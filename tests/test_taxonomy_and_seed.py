"""The skills and causes vocabularies, and the demo data that fills an empty site."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select

from trustee_match.extensions import db
from trustee_match.models import (
    Cause,
    Charity,
    CharityStatus,
    Need,
    NeedStatus,
    Role,
    Skill,
    User,
    VolunteerProfile,
)
from trustee_match.seed import DemoLogins, is_empty_database, seed_demo
from trustee_match.services.taxonomy import (
    DATA_DIR,
    load_taxonomy,
    normalise_term,
    resolve_skill,
    skill_groups,
)

# DOMAIN.md: England & Wales 6-7 digits, Scotland SC + 6 digits, Northern Ireland NIC + 6 digits.
REGULATOR_NUMBER = re.compile(r"^(?:\d{6,7}|SC\d{6}|NIC\d{6})$")
SMALL = {"volunteers": 30, "charities": 8, "needs": 12}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def seeded(app: Flask) -> DemoLogins:
    return seed_demo(lambda _line: None, **SMALL)


# The taxonomy --------------------------------------------------------------------------------


def test_taxonomy_offers_at_least_fifty_skills_in_groups(app: Flask) -> None:
    skills, causes = load_taxonomy()

    assert skills >= 50
    assert causes >= 20
    groups = dict(skill_groups())
    assert {"Digital and technology", "Data", "Security and privacy"} <= set(groups)
    assert sum(len(members) for members in groups.values()) == count(Skill)
    positions = [skill.position for members in groups.values() for skill in members]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("infosec", "cybersecurity"),
        ("Cyber-Security", "cybersecurity"),
        ("SOC", "security-operations"),
        ("incident response", "security-operations"),
        ("UK GDPR", "data-protection"),
        ("dpo", "data-protection"),
        ("Raiser\u2019s Edge", "crm-fundraising-tech"),
        ("Data engineering", "data-engineering"),
        ("  treasurer ", "treasurer"),
    ],
)
def test_what_people_type_resolves_to_a_skill(app: Flask, typed: str, slug: str) -> None:
    load_taxonomy()

    skill = resolve_skill(typed)

    assert skill is not None
    assert skill.slug == slug


def test_unknown_or_blank_text_resolves_to_nothing(app: Flask) -> None:
    load_taxonomy()

    assert resolve_skill("underwater basket weaving") is None
    assert resolve_skill("   ") is None


def test_loading_the_taxonomy_twice_changes_nothing(app: Flask) -> None:
    first = load_taxonomy()
    skills, causes = count(Skill), count(Cause)

    assert load_taxonomy() == first
    assert (count(Skill), count(Cause)) == (skills, causes)


def test_reloading_restores_edited_skills_and_keeps_retired_ones(app: Flask) -> None:
    load_taxonomy()
    cyber = db.session.scalar(select(Skill).where(Skill.slug == "cybersecurity"))
    cyber.name = "Renamed by hand"
    db.session.add(Skill(slug="retired-skill", name="Retired", group="Old", aliases=[]))
    db.session.commit()

    load_taxonomy()

    assert cyber.name == "Cybersecurity"
    retired = db.session.scalar(select(Skill).where(Skill.slug == "retired-skill"))
    assert retired is not None
    # The conftest keeps the skills table between tests, so tidy up after ourselves.
    db.session.delete(retired)
    db.session.commit()


def test_no_two_skills_share_a_name_or_alias() -> None:
    owner: dict[str, str] = {}
    for row in json.loads((DATA_DIR / "skills.json").read_text(encoding="utf-8")):
        for term in {row["slug"], row["name"], *row["aliases"]}:
            key = normalise_term(term)
            assert owner.setdefault(key, row["slug"]) == row["slug"], f"{term!r} is ambiguous"


# Demo data -----------------------------------------------------------------------------------


def test_seeding_creates_the_requested_numbers_of_rows(app: Flask) -> None:
    assert is_empty_database()
    lines: list[str] = []

    seed_demo(lines.append, **SMALL)

    assert not is_empty_database()
    assert count(VolunteerProfile) == SMALL["volunteers"]
    assert count(Charity) == SMALL["charities"]
    assert count(Need) == SMALL["needs"]
    assert count(User) == 1 + SMALL["volunteers"] + SMALL["charities"]
    assert "Volunteers: 30/30" in lines


def test_seeding_twice_is_refused(app: Flask, seeded) -> None:
    with pytest.raises(RuntimeError, match="already"):
        seed_demo(lambda _line: None, **SMALL)

    assert count(Charity) == SMALL["charities"]


def test_seeding_works_alongside_existing_accounts(app: Flask) -> None:
    db.session.add(User(email="someone@example.org", role=Role.STAFF))
    db.session.commit()

    seed_demo(lambda _line: None, **SMALL)

    assert count(User) == 2 + SMALL["volunteers"] + SMALL["charities"]


def test_every_charity_has_a_valid_unique_regulator_number_or_a_reason(app: Flask, seeded) -> None:
    charities = db.session.scalars(select(Charity)).all()
    numbers = [c.regulator_number for c in charities if c.regulator_number is not None]

    assert len(numbers) == len(set(numbers))
    for charity in charities:
        if charity.regulator_number is None:
            assert charity.not_registered_reason
        else:
            assert REGULATOR_NUMBER.match(charity.regulator_number), charity.regulator_number
            assert charity.not_registered_reason is None
    assert len({c.name for c in charities}) == len(charities)


def test_demo_texts_are_not_all_the_same(app: Flask, seeded) -> None:
    profiles = db.session.scalars(select(VolunteerProfile)).all()
    needs = db.session.scalars(select(Need)).all()
    charities = db.session.scalars(select(Charity)).all()

    assert len({p.bio for p in profiles}) == len(profiles)
    assert len({p.headline for p in profiles}) > len(profiles) // 2
    assert len({p.display_name for p in profiles}) > len(profiles) // 2
    assert len({n.description for n in needs}) == len(needs)
    assert len({n.title for n in needs}) > 3
    assert len({c.description for c in charities}) == len(charities)


def test_demo_volunteers_have_believable_profiles(app: Flask, seeded) -> None:
    for profile in db.session.scalars(select(VolunteerProfile)):
        assert profile.user.email.endswith("@example.org")
        assert profile.user.email_verified and profile.user.is_active
        assert 3 <= len(profile.skills) <= 8
        assert 1 <= len(profile.causes) <= 4
        assert 2 <= profile.hours_per_month <= 20
        assert profile.is_complete


def test_each_demo_login_works_with_the_shared_password(app: Flask, seeded) -> None:
    expected = {
        seeded.staff_email: Role.STAFF,
        seeded.volunteer_email: Role.VOLUNTEER,
        seeded.charity_email: Role.CHARITY,
    }
    for email, role in expected.items():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user is not None and user.role == role
        assert user.check_password(seeded.password)
        assert not user.check_password("wrong password")
        assert user.email_verified


def test_charity_login_belongs_to_a_verified_charity_with_open_needs_and_a_draft(
    app: Flask, seeded
) -> None:
    user = db.session.scalar(select(User).where(User.email == seeded.charity_email))
    charity = user.charity

    assert charity.status == CharityStatus.VERIFIED
    assert charity.verified_by.email == seeded.staff_email
    statuses = [need.status for need in charity.needs]
    assert statuses.count(NeedStatus.OPEN) >= 1
    assert statuses.count(NeedStatus.DRAFT) == 1


def test_staff_have_charities_waiting_for_verification(app: Flask, seeded) -> None:
    pending = db.session.scalars(
        select(Charity).where(Charity.status == CharityStatus.PENDING)
    ).all()

    assert pending
    for charity in pending:
        assert charity.verified_at is None
        assert all(need.status == NeedStatus.DRAFT for need in charity.needs)


def test_open_needs_belong_to_verified_charities_and_close_in_the_future(
    app: Flask, seeded
) -> None:
    needs = db.session.scalars(select(Need)).all()

    assert any(need.status == NeedStatus.OPEN for need in needs)
    for need in needs:
        if need.status == NeedStatus.OPEN:
            assert need.charity.status == CharityStatus.VERIFIED
            assert need.published_at is not None
        assert need.closing_date > date.today()
        assert 1 <= len(need.required_skills) <= 3
        assert len(need.desired_skills) <= 3
        assert 3 <= need.hours_per_month <= 12
        assert need.causes


def test_charity_names_never_run_out_for_one_cause_and_town(app: Flask) -> None:
    # The believable names for one cause and town are a few dozen; a national seed asks for
    # thousands of charities, so the builder must go on finding new names, not loop forever.
    from trustee_match.seed.builder import DemoBuilder

    builder = DemoBuilder(7, "trustee-demo-2026")
    names = []
    for _ in range(400):
        names.append(builder._charity_name("carers", "Leeds", "Yorkshire and the Humber"))
        builder.charity_names.add(names[-1])
    assert len(set(names)) == 400


def test_seed_command_takes_the_sizes_asked_for(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["seed", "demo", "--volunteers", "12", "--charities", "4", "--needs", "6"]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(VolunteerProfile)) == 12
    assert db.session.scalar(select(func.count()).select_from(Charity)) == 4
    assert db.session.scalar(select(func.count()).select_from(Need)) == 6
    assert "Volunteers: 12/12" in result.output
