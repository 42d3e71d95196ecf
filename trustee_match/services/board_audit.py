"""The board skills audit: who is on a charity's board, the skills a board like theirs needs,
which of those it has and which it lacks, and drafting a role from the gaps.

"What a board like theirs needs", plainly: the core skills every charity board needs (the
Charity Governance Code's areas, plus the digital ones NCVO finds most boards lack), a sector
skill for each of the charity's causes, and audit experience once income passes £1 million.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from ..email import queue_email
from ..email.links import external_url
from ..extensions import db
from ..matches.emails import match_email_members
from ..models import BoardMember, Charity, IncomeBand, Need, Skill, User
from ..models.base import utcnow
from ..permissions import is_member_of
from .errors import NotAllowed, ServiceError
from .needs import NeedFields, create_need

# Every board, whatever it does.
CORE_SKILLS = (
    "governance",
    "finance-accounting",
    "legal",
    "strategy",
    "risk-management",
    "safeguarding",
    "hr-people",
    "fundraising",
    "digital-strategy",
    "cybersecurity",
    "data-protection",
)
# A charity's cause -> the sector knowledge its board needs for it.
CAUSE_SKILLS = {
    "children-young-people": "youth-work",
    "older-people": "health-social-care",
    "carers": "health-social-care",
    "health": "health-social-care",
    "disability": "health-social-care",
    "mental-health": "mental-health",
    "homelessness-housing": "housing-homelessness",
    "education-skills": "education",
    "criminal-justice": "criminal-justice",
    "digital-inclusion": "digital-inclusion",
    "community-development": "community-development",
    "environment-climate": "environment-sustainability",
    "arts-culture": "arts-culture-heritage",
    "heritage": "arts-culture-heritage",
    "sport": "sport",
    "international-development": "international-development",
}
LARGE_INCOME = frozenset({IncomeBand.FROM_1M_TO_10M, IncomeBand.OVER_10M})
TERM_REMINDER_BEFORE = timedelta(days=91)  # three months
DEFAULT_HOURS = 6


@dataclass(frozen=True)
class GridRow:
    """One skill a board like this needs: why, and who on the board has it (empty: a gap)."""

    skill: Skill
    why: str
    holders: list[str]

    @property
    def is_gap(self) -> bool:
        return not self.holders


@dataclass(frozen=True)
class SkillsGrid:
    rows: list[GridRow]
    extra: list[Skill]  # skills the board has beyond the list

    @property
    def gaps(self) -> list[Skill]:
        return [row.skill for row in self.rows if row.is_gap]


def board_of(charity: Charity) -> list[BoardMember]:
    """The charity's board, earliest term end first (no end date last)."""
    members = db.session.scalars(
        select(BoardMember)
        .where(BoardMember.charity_id == charity.id)
        .options(selectinload(BoardMember.skills))
    ).all()
    return sorted(members, key=lambda m: (m.term_ends_on is None, m.term_ends_on, m.id))


def needed_skills(charity: Charity) -> list[tuple[Skill, str]]:
    """(skill, why) for each skill a board like this charity's needs, in taxonomy order."""
    why: dict[str, str] = dict.fromkeys(CORE_SKILLS, "Every board needs it")
    for cause in charity.causes:
        slug = CAUSE_SKILLS.get(cause.slug)
        if slug and slug not in why:
            why[slug] = f"For your work on {cause.name.lower()}"
    if charity.income_band in LARGE_INCOME:
        why.setdefault("audit", "For a charity with income over £1 million")
    skills = db.session.scalars(select(Skill).where(Skill.slug.in_(why)).order_by(Skill.position))
    return [(skill, why[skill.slug]) for skill in skills]


def skills_grid(charity: Charity, board: list[BoardMember] | None = None) -> SkillsGrid:
    """The skills the board has and lacks against what it needs."""
    board = board_of(charity) if board is None else board
    holders: dict[int, list[str]] = {}
    had: dict[int, Skill] = {}
    for member in board:
        for skill in member.skills:
            holders.setdefault(skill.id, []).append(member.label)
            had[skill.id] = skill
    needed = needed_skills(charity)
    rows = [GridRow(skill, why, holders.get(skill.id, [])) for skill, why in needed]
    wanted = {skill.id for skill, _ in needed}
    extra = sorted((s for i, s in had.items() if i not in wanted), key=lambda s: s.position)
    return SkillsGrid(rows=rows, extra=extra)


def _check(actor: User, charity: Charity) -> None:
    if not is_member_of(actor, charity):
        raise NotAllowed("Only the charity's own members can change its board.")


def add_board_member(
    actor: User, charity: Charity, name: str | None, skill_ids: list[int], term_ends_on: date | None
) -> BoardMember:
    """Add a trustee to the charity's board list; commits."""
    _check(actor, charity)
    skills = list(db.session.scalars(select(Skill).where(Skill.id.in_(skill_ids))))
    if len(skills) != len(set(skill_ids)):
        raise ServiceError("One of the skills is not on our list. Please choose again.")
    member = BoardMember(
        charity_id=charity.id,
        name=(name or "").strip() or None,
        skills=skills,
        term_ends_on=term_ends_on,
    )
    db.session.add(member)
    db.session.commit()
    return member


def remove_board_member(actor: User, member: BoardMember) -> None:
    """Take a trustee off the board list; commits."""
    _check(actor, member.charity)
    db.session.delete(member)
    db.session.commit()


def draft_role_from_gaps(actor: User, charity: Charity) -> Need:
    """A draft role whose required skills are the board's gaps, its region and causes the
    charity's own; commits (through create_need)."""
    _check(actor, charity)
    gaps = skills_grid(charity).gaps
    if not gaps:
        raise ServiceError("Your board has every skill on the list, so there is no gap to fill.")
    names = [skill.name for skill in gaps]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    title = f"Trustee with {names[0].lower()} skills" if len(names) == 1 else (
        f"Trustee with {names[0].lower()} and {names[1].lower()} skills"
    )
    fields = NeedFields(
        title=title[:160],
        description=(
            f"Our board skills audit found that our board lacks: {listed}. We are looking for "
            "a trustee who can bring some of these. Tell volunteers what your charity does, "
            "what the board is working on, and how often it meets."
        ),
        region=charity.region,
        town=charity.town,
        remote_ok=True,
        hours_per_month=DEFAULT_HOURS,
        closing_date=None,
        required_skill_ids=[skill.id for skill in gaps],
        cause_ids=[cause.id for cause in charity.causes],
    )
    return create_need(actor, charity, fields)


def remind_terms_ending(today: date | None = None) -> int:
    """Email the charity three months before a trustee's term ends (once); commits."""
    today = today or date.today()
    due = select(BoardMember.id).where(
        BoardMember.term_ends_on.is_not(None),
        BoardMember.term_ends_on >= today,
        BoardMember.term_ends_on <= today + TERM_REMINDER_BEFORE,
        BoardMember.term_reminded_at.is_(None),
    )
    sent = 0
    for member_id in db.session.scalars(due).all():
        claimed = db.session.execute(
            update(BoardMember)
            .where(BoardMember.id == member_id, BoardMember.term_reminded_at.is_(None))
            .values(term_reminded_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            db.session.rollback()
            continue
        member = db.session.get(BoardMember, member_id)
        for person in match_email_members(member.charity):
            queue_email(
                "board_term_ending",
                person.user,
                subject=f"A trustee's term ends on {member.term_ends_on.day} "
                f"{member.term_ends_on:%B %Y}",
                to_name=person.contact_name,
                name=person.contact_name,
                trustee=member,
                charity=member.charity,
                board=external_url("charity.board"),
            )
        db.session.commit()
        sent += 1
    return sent
