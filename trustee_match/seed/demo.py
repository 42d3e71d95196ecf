"""Believable, reproducible demo data: volunteers, charities and their trustee needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import BoardExperience, Charity, CharityStatus, IncomeBand, NeedStatus, Role, User
from ..services.taxonomy import load_taxonomy
from .builder import DemoBuilder

DEMO_PASSWORD = "trustee-demo-2026"  # noqa: S105 - published on purpose, demo accounts only
BATCH = 100
DEMO_VOLUNTEER_BIO = (
    "I lead data engineering at a national retailer, where my team looks after our data "
    "platform, data quality and our UK GDPR work. Before that I spent eight years in NHS "
    "analytics. I've been a school governor for three years and would now like to join a "
    "charity board, ideally one supporting carers or people with mental health problems, where "
    "better use of data could free up staff time for the people they support. I can give about "
    "8 hours a month and am happy to travel to Leeds or Bradford for meetings."
)


@dataclass(frozen=True)
class DemoLogins:
    """The one fixed login per role that seed_demo creates, all sharing one password."""

    staff_email: str = "staff@example.org"
    volunteer_email: str = "volunteer@example.org"
    charity_email: str = "charity@example.org"
    password: str = DEMO_PASSWORD


def _report_every(total: int, batch: int = BATCH) -> int:
    """A progress line about every 5% of a big seed, every batch of a small one."""
    return max(batch, (total // 20) // batch * batch)


def is_empty_database() -> bool:
    """True when no user account exists yet (the taxonomy alone does not count)."""
    return db.session.scalar(select(User.id).limit(1)) is None


def seed_demo(
    progress: Callable[[str], None] = print,
    *,
    volunteers: int = 300,
    charities: int = 60,
    needs: int = 120,
    random_state: int = 7,
) -> DemoLogins:
    """Fill the database with demo volunteers, charities and needs, and commit.

    Meant for an empty database (see ``is_empty_database``), but it also works alongside other
    data, as long as the demo logins do not exist yet. The counts include the fixed demo
    accounts (one volunteer, one charity with three needs).
    The same ``random_state`` gives the same data, apart from password salts and session tokens.

    Parameters
    ----------
    progress
        Called with a short line of text as each stage advances.
    volunteers, charities, needs
        How many of each to create in total; at least 1 charity.
    random_state
        Seed for every random choice.

    Returns
    -------
    DemoLogins
        The staff, volunteer and charity logins and their shared password.

    Raises
    ------
    RuntimeError
        If a demo login already exists (the demo data was seeded before).
    """
    logins = DemoLogins()
    demo_emails = (logins.staff_email, logins.volunteer_email, logins.charity_email)
    taken = db.session.scalar(select(User.email).where(User.email.in_(demo_emails)).limit(1))
    if taken is not None:
        raise RuntimeError(f"The demo data is already there: {taken} exists.")
    if charities < 1:
        raise ValueError("seed_demo needs at least one charity for the charity login")
    skill_count, cause_count = load_taxonomy()
    progress(f"Taxonomy: {skill_count} skills, {cause_count} causes")

    builder = DemoBuilder(random_state, logins.password)
    staff = builder.user(Role.STAFF, logins.staff_email, created=builder.ago(600, 700))
    db.session.commit()
    progress(f"Staff: {logins.staff_email}")

    _seed_volunteers(builder, volunteers, logins, progress)
    charity_rows = _seed_charities(builder, charities, staff, logins, progress)
    _seed_needs(builder, needs, charity_rows, progress)
    progress("Demo data ready.")
    return logins


def _seed_volunteers(
    builder: DemoBuilder, total: int, logins: DemoLogins, progress: Callable[[str], None]
) -> None:
    for index in range(total):
        if index == 0:
            user = builder.user(Role.VOLUNTEER, logins.volunteer_email)
            builder.volunteer(
                user,
                "Priya Shah",
                group="Data",
                title="Head of Data Engineering",
                headline="Head of Data Engineering at a national retailer",
                bio=DEMO_VOLUNTEER_BIO,
                skills=[
                    "data-engineering",
                    "data-governance",
                    "data-protection",
                    "cloud-infrastructure",
                    "ai-machine-learning",
                    "strategy",
                ],
                causes=["mental-health", "carers", "digital-inclusion"],
                board=BoardExperience.SOME,
                region="Yorkshire and the Humber",
                remote_ok=True,
                hours=8,
                available=True,
                with_contact=True,
            )
        else:
            name = builder.person()
            builder.volunteer(builder.user(Role.VOLUNTEER, name=name), name)
        done = index + 1
        if done % BATCH == 0 or done == total:
            db.session.commit()
            if done % _report_every(total) == 0 or done == total:
                progress(f"Volunteers: {done}/{total}")


def _charity_plan(builder: DemoBuilder, total: int) -> list[tuple[CharityStatus, bool]]:
    """(status, registered) for every charity after the demo one, in random order."""
    others = total - 1
    pending = min(others, max(1, round(total * 8 / 60)))
    rejected = min(others - pending, 2 if total >= 30 else 1)
    unregistered = max(1, round(total * 0.07))
    statuses = (
        [CharityStatus.PENDING] * pending
        + [CharityStatus.REJECTED] * rejected
        + [CharityStatus.VERIFIED] * (others - pending - rejected)
    )
    registered = [False] * min(unregistered, others) + [True] * max(0, others - unregistered)
    builder.rng.shuffle(statuses)
    builder.rng.shuffle(registered)
    return list(zip(statuses, registered, strict=True))


def _seed_charities(
    builder: DemoBuilder,
    total: int,
    staff: User,
    logins: DemoLogins,
    progress: Callable[[str], None],
) -> list[Charity]:
    rows = [
        builder.charity(
            CharityStatus.VERIFIED,
            staff,
            name="Leeds Young Carers Network",
            region="Yorkshire and the Humber",
            town="Leeds",
            causes=["carers", "children-young-people"],
            income=IncomeBand.FROM_100K_TO_1M,
            contact="Sam Okafor",
            job_title="Chief Executive",
            email=logins.charity_email,
        )
    ]
    for status, registered in _charity_plan(builder, total):
        rows.append(builder.charity(status, staff, registered))
        if len(rows) % 25 == 0:
            db.session.commit()
            if len(rows) % _report_every(total, 25) == 0:
                progress(f"Charities: {len(rows)}/{total}")
    db.session.commit()
    progress(f"Charities: {len(rows)}/{total}")
    return rows


def _need_owners(builder: DemoBuilder, total: int, charities: list[Charity]) -> list[Charity]:
    """Which charity each random need belongs to: every verified charity gets one, then each
    pending charity a draft, then the rest spread with verified charities favoured."""
    verified = [c for c in charities[1:] if c.status == CharityStatus.VERIFIED]
    pending = [c for c in charities[1:] if c.status == CharityStatus.PENDING]
    owners = verified + pending
    # The demo charity keeps exactly its fixed needs unless there is nowhere else to put them.
    weighted = verified * 4 + pending or charities[:1]
    while len(owners) < total:
        owners.append(builder.rng.choice(weighted))
    return owners[:total]


def _seed_needs(
    builder: DemoBuilder, total: int, charities: list[Charity], progress: Callable[[str], None]
) -> None:
    demo = charities[0]
    fixed = [
        (
            NeedStatus.OPEN,
            "Trustee with data protection expertise",
            ["data-protection", "data-governance"],
            ["cybersecurity"],
        ),
        (NeedStatus.OPEN, "Digital Trustee", ["digital-strategy"], ["crm-fundraising-tech"]),
        (NeedStatus.DRAFT, "Treasurer", ["treasurer", "finance-accounting"], []),
    ]
    for status, title, required, desired in fixed[:total]:
        builder.need(demo, status, title=title, required=required, desired=desired, hours=6)
    owners = _need_owners(builder, max(0, total - len(fixed)), charities)
    for index, charity in enumerate(owners, start=len(fixed) + 1):
        builder.need(charity, builder.need_status(charity))
        if index % 50 == 0:
            db.session.commit()
            if index % _report_every(total, 50) == 0:
                progress(f"Needs: {index}/{total}")
    db.session.commit()
    progress(f"Needs: {total}/{total}")
