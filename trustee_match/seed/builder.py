"""Building demo rows one at a time: the random choices behind each volunteer, charity and need."""

from __future__ import annotations

import itertools
import math
import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import (
    REGIONS,
    BoardExperience,
    Cause,
    Charity,
    CharityMember,
    CharityStatus,
    IncomeBand,
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
from ..passwords import hash_password
from . import fragments as f
from . import texts

_NAME_TRIES = 12
_AREAS = ("North", "South", "East", "West", "Central")


def _ordinal(n: int) -> str:
    """'' for the first round of area names, then ' 2', ' 3'... so names never run out."""
    rounds = (n - 1) // len(_AREAS)
    return "" if rounds == 0 else f" {rounds + 1}"


def _slugify(text: str) -> str:
    text = text.lower().replace("-", " ")
    return "-".join("".join(ch for ch in text if ch.isalnum() or ch == " ").split())


class DemoBuilder:
    """Holds the random source, the taxonomy and the shared password hash while seeding."""

    def __init__(self, random_state: int, password: str) -> None:
        self.rng = random.Random(random_state)
        self.now = datetime.now(UTC)
        self.today = date.today()
        self.password_hash = hash_password(password)
        self.skills = {
            s.slug: s for s in db.session.scalars(select(Skill).order_by(Skill.position))
        }
        self.causes = {
            c.slug: c for c in db.session.scalars(select(Cause).order_by(Cause.position))
        }
        # Plain copies: the ORM objects expire at every commit and would reload one by one.
        self.skill_info = {slug: (s.name, s.group) for slug, s in self.skills.items()}
        self.cause_names = {slug: c.name for slug, c in self.causes.items()}
        self.by_group: dict[str, list[str]] = {}
        for slug, (_, group) in self.skill_info.items():
            self.by_group.setdefault(group, []).append(slug)
        # Charities already in the database keep their numbers and names to themselves.
        self.regulator_numbers = set(db.session.scalars(select(Charity.regulator_number)))
        self.charity_names = set(db.session.scalars(select(Charity.name)))
        self.email_counter = 0

    def ago(self, low_days: float, high_days: float) -> datetime:
        """A random moment between low_days and high_days before now."""
        return self.now - timedelta(days=self.rng.uniform(low_days, high_days))

    def user(
        self, role: Role, email: str | None = None, name: str = "", created: datetime | None = None
    ) -> User:
        """An active, verified account with the demo password; the email is made from name."""
        if email is None:
            self.email_counter += 1
            local = "".join(
                ch for ch in name.lower().replace(" ", ".") if ch.isalnum() or ch == "."
            )
            email = f"{local}.{self.email_counter}@example.org"
        created = created or self.ago(30, 540)
        user = User(email=email, role=role, created_at=created, active=True)
        user.password_hash = self.password_hash
        user.email_verified_at = created + timedelta(minutes=self.rng.randint(2, 600))
        db.session.add(user)
        return user

    def person(self) -> str:
        """A random full name."""
        return f"{self.rng.choice(f.FIRST_NAMES)} {self.rng.choice(f.LAST_NAMES)}"

    def pick_group(self, weights: dict[str, int]) -> str:
        """A skill group drawn with the given weights."""
        groups = [g for g in weights if g in self.by_group]
        return self.rng.choices(groups, weights=[weights[g] for g in groups])[0]

    # Volunteers -----------------------------------------------------------------------------

    def volunteer(self, user: User, name: str, **fixed) -> VolunteerProfile:
        """A volunteer profile for user; keyword arguments pin choices for the demo login."""
        rng = self.rng
        group = fixed.get("group") or self.pick_group(f.VOLUNTEER_GROUP_WEIGHTS)
        slugs = fixed.get("skills") or self._volunteer_skills(group)
        cause_slugs = fixed.get("causes") or rng.sample(list(self.causes), rng.randint(1, 4))
        board = fixed.get("board") or rng.choices(list(BoardExperience), weights=(50, 35, 15))[0]
        remote_ok = fixed.get("remote_ok", rng.random() < 0.85)
        hours = fixed.get("hours") or rng.randint(2, 20)
        years = rng.randint(4, 28)
        title = fixed.get("title") or rng.choice(f.JOB_TITLES_BY_GROUP[group])
        skill_names = [self.skill_info[slug][0] for slug in slugs]
        cause_names = [self.cause_names[slug] for slug in cause_slugs]
        regions = list(f.VOLUNTEER_REGION_WEIGHTS)
        with_contact = fixed.get("with_contact", False)
        profile = VolunteerProfile(
            user=user,
            display_name=name,
            headline=fixed.get("headline")
            or texts.volunteer_headline(
                rng, group=group, skills=skill_names, years=years, title=title
            ),
            bio=fixed.get("bio")
            or texts.volunteer_bio(
                rng,
                group=group,
                title=title,
                skills=skill_names,
                causes=cause_names,
                years=years,
                hours=hours,
                remote_ok=remote_ok,
                board_experience=board.value,
            ),
            region=fixed.get("region")
            or rng.choices(regions, weights=[f.VOLUNTEER_REGION_WEIGHTS[r] for r in regions])[0],
            remote_ok=remote_ok,
            hours_per_month=hours,
            board_experience=board,
            linkedin_url=self._linkedin(name) if with_contact or rng.random() < 0.55 else None,
            # Ofcom reserves 07700 900000-900999 for drama, so these never ring anyone.
            phone=f"07700 900{rng.randint(0, 999):03d}"
            if with_contact or rng.random() < 0.4
            else None,
            available=fixed.get("available", rng.random() > 0.06),
            updated_at=min(self.now, user.created_at + timedelta(days=rng.uniform(0, 30))),
        )
        for position, slug in enumerate(slugs):
            profile.skills.append(
                VolunteerSkill(skill=self.skills[slug], level=self._level(position, slug, group))
            )
        profile.causes = [self.causes[slug] for slug in cause_slugs]
        db.session.add(profile)
        return profile

    def _volunteer_skills(self, group: str) -> list[str]:
        count = self.rng.randint(3, 8)
        own = self.by_group[group]
        slugs = self.rng.sample(own, min(len(own), math.ceil(count * 0.6)))
        others = [slug for slug in self.skill_info if slug not in slugs]
        return slugs + self.rng.sample(others, count - len(slugs))

    def _level(self, position: int, slug: str, group: str) -> SkillLevel:
        in_group = self.skill_info[slug][1] == group
        weights = (5, 50, 45) if in_group and position < 3 else (35, 50, 15)
        return self.rng.choices(list(SkillLevel), weights=weights)[0]

    def _linkedin(self, name: str) -> str:
        handle = name.lower().replace(" ", "-").replace("'", "")
        return f"https://www.linkedin.com/in/{handle}-{self.rng.randrange(16**6):06x}"

    # Charities ------------------------------------------------------------------------------

    def regulator_number(self, region: str) -> str:
        """A unique, well-formed number from the regulator for the charity's region."""
        while True:
            if region == "Scotland":
                number = f"SC0{self.rng.randint(1000, 55999):05d}"
            elif region == "Northern Ireland":
                number = f"NIC1{self.rng.randint(1, 9999):05d}"
            elif self.rng.random() < 0.8:
                number = str(self.rng.randint(1_000_000, 1_209_999))
            else:
                number = str(self.rng.randint(200_000, 999_999))
            if number not in self.regulator_numbers:
                self.regulator_numbers.add(number)
                return number

    def _charity_name(self, cause_slug: str, town: str, region: str) -> str:
        """A name no other charity has. The pool of believable names for one cause and town is
        small, so after a few clashes the name gains a part of town, as real branches do."""
        for _ in range(_NAME_TRIES):
            name = texts.charity_name(self.rng, cause_slug=cause_slug, town=town, region=region)
            if name not in self.charity_names:
                return name
        for area in itertools.count(1):
            candidate = f"{name} ({town} {_AREAS[(area - 1) % len(_AREAS)]}{_ordinal(area)})"
            if candidate not in self.charity_names:
                return candidate
        raise AssertionError("unreachable")

    def charity(
        self, status: CharityStatus, staff: User, registered: bool = True, **fixed
    ) -> Charity:
        """A charity with one member account; keyword arguments pin choices for the demo."""
        rng = self.rng
        region = fixed.get("region") or rng.choice(REGIONS)
        town = fixed.get("town") or rng.choice(f.TOWNS_BY_REGION[region])
        cause_slugs = fixed.get("causes") or rng.sample(list(f.CAUSE_PROFILES), rng.randint(1, 3))
        # The cause listed first on the charity (by taxonomy order) is the one its name is about.
        positions = list(self.causes)
        cause_slugs = sorted(cause_slugs, key=positions.index)
        name = fixed.get("name") or self._charity_name(cause_slugs[0], town, region)
        self.charity_names.add(name)
        income = fixed.get("income") or rng.choices(list(IncomeBand), weights=(35, 40, 20, 5))[0]
        if not registered:
            income = IncomeBand.UNDER_100K
        created = self.ago(20, 420)
        if status == CharityStatus.PENDING:
            # Staff verify within days, so a charity still waiting signed up days ago, not
            # months (folded into two weeks rather than drawn again: the rest of the demo stays
            # as it was).
            created = self.now - timedelta(days=1 + (self.now - created).days % 14)
        charity = Charity(
            name=name,
            region=region,
            town=town,
            income_band=income,
            status=status,
            regulator_number=self.regulator_number(region) if registered else None,
            not_registered_reason=None if registered else rng.choice(f.NOT_REGISTERED_REASONS),
            description=texts.charity_description(
                rng,
                name=name,
                cause_slug=cause_slugs[0],
                town=town,
                region=region,
                income=income.value,
            ),
            website=f"https://{_slugify(name)}.example.org",
            created_at=created,
        )
        charity.causes = [self.causes[slug] for slug in cause_slugs]
        if status == CharityStatus.VERIFIED:
            charity.verified_by = staff
            charity.verified_at = created + timedelta(days=rng.uniform(1, 6))
        elif status == CharityStatus.REJECTED:
            charity.rejection_reason = rng.choice(f.REJECTION_REASONS)
        contact = fixed.get("contact") or self.person()
        user = self.user(Role.CHARITY, fixed.get("email"), contact, created)
        charity.members.append(
            CharityMember(
                user=user,
                contact_name=contact,
                created_at=created,
                job_title=fixed.get("job_title") or rng.choice(f.CONTACT_JOB_TITLES),
            )
        )
        db.session.add(charity)
        return charity

    # Needs ----------------------------------------------------------------------------------

    def need(self, charity: Charity, status: NeedStatus, **fixed) -> Need:
        """A trustee role for charity; keyword arguments pin title and skills for the demo."""
        rng = self.rng
        group = self.pick_group(f.NEED_GROUP_WEIGHTS)
        required = fixed.get("required") or self._need_skills(group)
        group = self.skill_info[required[0]][1]
        others = [slug for slug in self.skill_info if slug not in required]
        desired = fixed.get("desired", rng.sample(others, rng.randint(0, 3)))
        cause_slugs = [c.slug for c in charity.causes][: rng.randint(1, 2)]
        hours = fixed.get("hours") or rng.randint(3, 12)
        remote_ok = rng.random() < 0.8
        start = charity.verified_at or charity.created_at
        created = start + (self.now - start) * rng.uniform(0.1, 0.95)
        need = Need(
            charity=charity,
            title=fixed.get("title")
            or texts.need_title(
                rng, skill_slug=required[0], skill_name=self.skill_info[required[0]][0]
            ),
            description=texts.need_description(
                rng,
                charity=charity.name,
                cause_slug=cause_slugs[0],
                cause_name=self.cause_names[cause_slugs[0]],
                place=charity.town or charity.region,
                size=texts.SIZE_BY_INCOME[charity.income_band.value],
                group=group,
                required=[self.skill_info[s][0] for s in required],
                desired=[self.skill_info[s][0] for s in desired],
                hours=hours,
                remote_ok=remote_ok,
            ),
            region=charity.region,
            town=charity.town if rng.random() < 0.9 else None,
            remote_ok=remote_ok,
            hours_per_month=hours,
            status=status,
            closing_date=self.today + timedelta(days=rng.randint(14, 120)),
            created_at=created,
            updated_at=created,
            published_at=None
            if status == NeedStatus.DRAFT
            else min(self.now, created + timedelta(hours=rng.uniform(1, 48))),
        )
        for slug in required:
            need.skill_links.append(NeedSkill(skill=self.skills[slug], required=True))
        for slug in desired:
            need.skill_links.append(NeedSkill(skill=self.skills[slug], required=False))
        need.causes = [self.causes[slug] for slug in cause_slugs]
        db.session.add(need)
        return need

    def _need_skills(self, group: str) -> list[str]:
        own = self.by_group[group]
        return self.rng.sample(own, min(len(own), self.rng.randint(1, 3)))

    def need_status(self, charity: Charity) -> NeedStatus:
        """Mostly open for verified charities; only drafts for anyone not yet verified."""
        if charity.status != CharityStatus.VERIFIED:
            return NeedStatus.DRAFT
        return self.rng.choices(
            (NeedStatus.OPEN, NeedStatus.DRAFT, NeedStatus.PAUSED), weights=(78, 10, 12)
        )[0]
