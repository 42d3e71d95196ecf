"""Pages load what they show in a fixed number of queries, however many rows there are."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, insert

from trustee_match.email import queue_email
from trustee_match.extensions import db
from trustee_match.matches.actions import approve_match, propose_match, record_reply
from trustee_match.models import (
    BoardExperience,
    Cause,
    ChangeKind,
    Charity,
    CharityStatus,
    Match,
    MatchState,
    MatchTransition,
    Need,
    NeedStatus,
    OutboxMessage,
    OutboxStatus,
    RejectReason,
    Reply,
    Role,
    Skill,
    User,
    VolunteerProfile,
)
from trustee_match.models.base import utcnow
from trustee_match.ranking.changes import record_change

from .conftest import link_in, login, outbox_for
from .factories import (
    CharityFactory,
    CharityUserFactory,
    NeedFactory,
    StaffFactory,
    VolunteerFactory,
    give_skills,
    need_skills,
)


@contextmanager
def counting_queries():
    counter = {"n": 0}

    def count(*_args, **_kwargs):
        counter["n"] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _queries_for(client, path: str) -> int:
    with counting_queries() as counter:
        assert client.get(path).status_code == 200
    return counter["n"]


def test_match_lists_do_not_query_per_row(app, client):
    charity = CharityFactory()
    member = CharityUserFactory(charity=charity)
    staff = StaffFactory()

    def add_matches(n: int) -> None:
        for _ in range(n):
            approve_match(
                staff, propose_match(staff, NeedFactory(charity=charity), VolunteerFactory())
            )

    add_matches(2)
    login(client, member.email)
    few = {p: _queries_for(client, p) for p in ("/charity/matches", "/charity/")}
    add_matches(6)
    many = {p: _queries_for(client, p) for p in ("/charity/matches", "/charity/")}
    assert many == few, f"queries grew with rows: {few} -> {many}"

    staff_client = app.test_client()
    login(staff_client, staff.email)
    path = "/staff/matches?state=awaiting_replies"
    before = _queries_for(staff_client, path)
    add_matches(4)
    assert _queries_for(staff_client, path) == before


# Detail pages: one record and everything it shows. Each page is built twice, with 1 and with
# 10 of each thing it lists (members, transitions, emails, skills, causes), and must take the
# same number of queries both times.
SIZES = (1, 10)


def _some(model, n: int) -> list:
    found = list(db.session.scalars(db.select(model).order_by(model.id).limit(n)))
    assert len(found) == n
    return found


def _charity_with_members(n: int) -> Charity:
    charity = CharityFactory()
    for _ in range(n):
        CharityUserFactory(charity=charity)
    return charity


def _need_with(n: int, charity: Charity | None = None) -> Need:
    """An open need with n required and n desired skills and n causes."""
    need = NeedFactory(charity=charity or _charity_with_members(n))
    skills = _some(Skill, 2 * n)
    need_skills(
        need, required=tuple(s.slug for s in skills[:n]), desired=tuple(s.slug for s in skills[n:])
    )
    need.causes = _some(Cause, n)
    db.session.commit()
    return need


def _volunteer_with(n: int) -> User:
    """A volunteer with n skills and n causes."""
    volunteer = VolunteerFactory()
    give_skills(volunteer.volunteer_profile, *(s.slug for s in _some(Skill, n)))
    volunteer.volunteer_profile.causes = _some(Cause, n)
    db.session.commit()
    return volunteer


def _approved(n: int, *, charity: Charity | None = None, volunteer: User | None = None) -> Match:
    """A match waiting for replies: its need at a charity of n members, so n + 1 emails."""
    staff = StaffFactory()
    need = _need_with(n, charity)
    match = propose_match(staff, need, volunteer or _volunteer_with(n))
    approve_match(staff, match)
    return match


def _introduced(n: int, **kwargs) -> Match:
    match = _approved(n, **kwargs)
    record_reply(match.volunteer, match, Reply.ACCEPTED)
    record_reply(match.need.charity.members[0].user, match, Reply.ACCEPTED)
    assert match.state == MatchState.INTRODUCED
    return match


def _with_history(match: Match, n: int) -> Match:
    """n more history lines, each by a different staff member, and n more emails."""
    for i in range(n):
        db.session.add(
            MatchTransition(
                match_id=match.id,
                from_state=match.state,
                to_state=match.state,
                actor_id=StaffFactory().id,
                note=f"Called both sides ({i})",
            )
        )
        queue_email(
            "match_withdrawn",
            VolunteerFactory(),
            subject="Update",
            match_id=match.id,
            name="Alex",
            match=match,
            need=match.need,
            charity=match.need.charity,
            profile=match.volunteer.volunteer_profile,
            side="volunteer",
            links={},
            dashboard="http://127.0.0.1:5000/volunteer/",
        )
    db.session.commit()
    return match


def _counts(client, paths: list[str]) -> list[int]:
    return [_queries_for(client, path) for path in paths]


def _logged_in(app, email: str):
    client = app.test_client()
    login(client, email)
    return client


def test_the_staff_match_page_queries_the_same_for_1_or_10_members_transitions_emails(app):
    staff = StaffFactory()
    paths = [f"/staff/matches/{_with_history(_introduced(n), n).id}" for n in SIZES]
    few, many = _counts(_logged_in(app, staff.email), paths)
    assert few == many, f"{few} queries with 1 of each, {many} with 10"


def test_the_staff_charity_page_queries_the_same_for_1_or_10_members(app):
    staff = StaffFactory()
    paths = [f"/staff/charities/{_charity_with_members(n).id}" for n in SIZES]
    few, many = _counts(_logged_in(app, staff.email), paths)
    assert few == many, f"{few} queries with 1 member, {many} with 10"


def test_the_volunteer_match_and_need_pages_query_the_same_for_1_or_10(app):
    volunteer = VolunteerFactory()
    matches = [_introduced(n, volunteer=volunteer) for n in SIZES]
    client = _logged_in(app, volunteer.email)
    few, many = _counts(client, [f"/volunteer/matches/{m.id}" for m in matches])
    assert few == many, f"match page: {few} queries with 1 contact and skill, {many} with 10"
    few, many = _counts(client, [f"/volunteer/needs/{_need_with(n).id}" for n in SIZES])
    assert few == many, f"need page: {few} queries with 1 skill and cause, {many} with 10"


def test_the_charity_match_and_need_pages_query_the_same_for_1_or_10(app):
    charity = _charity_with_members(3)
    matches = [_introduced(n, charity=charity) for n in SIZES]
    client = _logged_in(app, charity.members[0].user.email)
    few, many = _counts(client, [f"/charity/matches/{m.id}" for m in matches])
    assert few == many, f"match page: {few} queries with 1 skill and cause, {many} with 10"
    few, many = _counts(client, [f"/charity/needs/{m.need_id}" for m in matches])
    assert few == many, f"need page: {few} queries with 1 skill and cause, {many} with 10"


def test_the_respond_page_queries_the_same_for_1_or_10_charity_members(client):
    paths = []
    for n in SIZES:
        match = _approved(n)
        member = match.need.charity.members[-1].user
        [message] = [m for m in outbox_for(member.email) if m.kind == "match_proposed"]
        paths.append(link_in(message, f"/respond/{match.id}/accept/"))
    few, many = _counts(client, paths)
    assert few == many, f"{few} queries with 1 member, {many} with 10"


def test_a_needs_candidates_page_does_not_query_per_candidate(app, client):
    staff = StaffFactory()
    need = NeedFactory(title="Data trustee")
    other = NeedFactory(title="Another role")

    def add_volunteers(n: int) -> None:
        for i in range(n):
            volunteer = VolunteerFactory()
            if i % 2:  # some with flags: a bounced email, a declined introduction
                volunteer.email_bounced_at = utcnow()
                db.session.add(
                    Match(
                        need=other,
                        volunteer=volunteer,
                        state=MatchState.DECLINED,
                        volunteer_reply=Reply.DECLINED,
                    )
                )
            db.session.add(Match(need=need, volunteer=volunteer, state=MatchState.PROPOSED))
            record_change(ChangeKind.VOLUNTEER, volunteer.id)
        db.session.commit()

    def counted(expected_candidates: int) -> int:
        path = f"/staff/needs/{need.id}/candidates"
        html = client.get(path).get_data(as_text=True)  # applies the new changes first
        assert html.count('class="card candidate"') == expected_candidates
        return _queries_for(client, path)

    # Sync at every read, so each counted request does the same (empty) sync.
    app.config["RANKER_SYNC_SECONDS"] = 0
    add_volunteers(1)
    login(client, staff.email)
    one = counted(1)
    add_volunteers(9)
    assert counted(10) == one


# Every list page, with 10 and with 1,000 rows of what it lists: the same number of queries.
# The rows are bulk inserts (one statement a table), so 1,000 of each take a moment.
LIST_SIZES = (10, 1_000)
_LIST_STATES = (
    MatchState.PROPOSED,
    MatchState.AWAITING_REPLIES,
    MatchState.INTRODUCED,
    MatchState.EXPIRED,
    MatchState.REJECTED,
    MatchState.APPOINTED,
)


def _bulk(model, rows: list[dict]) -> list[int]:
    return list(db.session.scalars(insert(model).returning(model.id), rows))


def _add_rows(n: int, start: int, charity: Charity, volunteer: User) -> None:
    """n more of everything the list pages show: volunteers, open roles of `charity`, pending
    charities, matches of every state (ranker proposals with their history among them), for
    `volunteer` too, and emails."""
    now = utcnow()
    users = _bulk(
        User,
        [
            {"email": f"bulk{start + i}@example.org", "role": Role.VOLUNTEER,
             "password_hash": "x", "email_verified_at": now}
            for i in range(n)
        ],
    )
    _bulk(
        VolunteerProfile,
        [
            {"user_id": uid, "display_name": f"Bulk Volunteer {start + i}", "region": "London",
             "hours_per_month": 6, "board_experience": BoardExperience.NONE, "available": True}
            for i, uid in enumerate(users)
        ],
    )
    needs = _bulk(
        Need,
        [
            {"charity_id": charity.id, "title": f"Bulk role {start + i}",
             "description": "Help our board with data.", "region": "London",
             "hours_per_month": 6, "status": NeedStatus.OPEN, "published_at": now}
            for i in range(n)
        ],
    )
    _bulk(
        Charity,
        [
            {"name": f"Pending trust {start + i}", "regulator_number": f"9{start + i:07d}",
             "status": CharityStatus.PENDING}
            for i in range(n)
        ],
    )
    states = [_LIST_STATES[i % len(_LIST_STATES)] for i in range(n)]
    matches = _bulk(
        Match,
        [
            {"need_id": need_id, "volunteer_id": uid, "state": state, "source": "ranker",
             "score": 0.5, "replies_due_at": now,
             "reject_reason": RejectReason.LOCATION if state == MatchState.REJECTED else None}
            for need_id, uid, state in zip(needs, users, states, strict=True)
        ],
    )
    _bulk(
        Match,
        [
            {"need_id": need_id, "volunteer_id": volunteer.id, "state": state,
             "source": "interest", "replies_due_at": now}
            for need_id, state in zip(needs, states, strict=True)
        ],
    )
    _bulk(
        MatchTransition,
        [
            {"match_id": match_id, "from_state": MatchState.PROPOSED, "to_state": state}
            for match_id, state in zip(matches, states, strict=True)
            if state != MatchState.PROPOSED
        ],
    )
    _bulk(
        OutboxMessage,
        [
            {"kind": "match_proposed", "to_email": f"bulk{start + i}@example.org",
             "subject": "A role", "text_body": "Hello", "html_body": "<p>Hello</p>",
             "status": (OutboxStatus.FAILED, OutboxStatus.PENDING, OutboxStatus.SENT)[i % 3],
             "match_id": match_id}
            for i, match_id in enumerate(matches)
        ],
    )
    db.session.commit()


LIST_PAGES = {
    "volunteer": [
        "/volunteer/",
        "/volunteer/needs",
        "/volunteer/needs?remote=y&region=London",
        "/volunteer/matches",
    ],
    "member": ["/charity/", "/charity/matches"],
    "staff": [
        "/staff/",
        "/staff/matches?state=proposed",
        "/staff/matches?state=awaiting_replies",
        "/staff/matches?state=introduced",
        "/staff/matches?state=stalled",
        "/staff/matches?state=closed",
        "/staff/charities",
        "/staff/users",
        "/staff/emails?status=failed",
        "/staff/emails?status=pending",
        "/staff/ranker",
        "/staff/matches/new?q=bulk&role=bulk",  # volunteers and open roles to choose from
    ],
}


def test_every_list_page_queries_the_same_for_10_or_1000_rows(app):
    from trustee_match.ranking.live_index import live_index

    charity = _charity_with_members(1)
    people = {
        "volunteer": _volunteer_with(2),
        "member": charity.members[0].user,
        "staff": StaffFactory(),
    }
    clients = {who: _logged_in(app, person.email) for who, person in people.items()}
    app.config["RANKER_SYNC_SECONDS"] = 3600  # the index is rebuilt below, not synced meanwhile

    def counts() -> dict[str, int]:
        live_index().rebuild()  # the volunteer dashboard's suggestions: every open role
        found = {}
        for who, paths in LIST_PAGES.items():
            for path in paths:
                clients[who].get(path)  # once first: whatever a first view caches
                found[path] = _queries_for(clients[who], path)
        return found

    few_rows, many_rows = LIST_SIZES
    _add_rows(few_rows, 0, charity, people["volunteer"])
    few = counts()
    _add_rows(many_rows - few_rows, few_rows, charity, people["volunteer"])
    many = counts()
    grew = {path: (few[path], many[path]) for path in few if few[path] != many[path]}
    assert grew == {}, f"queries grew with rows (10 -> 1000): {grew}"
    # And each page shows a page of them, not all 1,000.
    page = clients["volunteer"].get("/volunteer/matches").get_data(as_text=True)
    assert 0 < page.count("<tr>") <= 21
    page = clients["member"].get("/charity/").get_data(as_text=True)
    # 20 roles, 10 waiting for an answer, 10 introductions (each names its role 4 times: the
    # title and its three outcome buttons for screen readers).
    assert "Next page" in page and page.count("Bulk role") <= 20 + 10 + 10 * 4
    # Its "waiting for your answer" shows the ten due soonest and says there are more.
    assert "More introductions are waiting for your answer" in page
    page = clients["staff"].get("/staff/matches/new?q=bulk&role=bulk").get_data(as_text=True)
    assert page.count("<option") == 20
    assert "the first 20 open roles that match “bulk”, and there are more" in page


def _staff_console_rows(staff: User, n: int) -> None:
    """n more of everything the staff console lists or counts: pending charities with causes,
    quiet roles, proposals, overdue and reminded matches, audit entries, volunteers."""
    from datetime import timedelta

    from trustee_match.models import AuditEntry, CharityStatus

    long_ago = utcnow() - timedelta(days=30)
    for _ in range(n):
        pending = CharityFactory(status=CharityStatus.PENDING, verified_at=None)
        pending.causes = _some(Cause, 2)
        need = _need_with(2)
        need.published_at = long_ago
        volunteer = _volunteer_with(2)
        propose_match(staff, need, volunteer)
        waiting = propose_match(staff, NeedFactory(), VolunteerFactory())
        approve_match(staff, waiting)
        waiting.replies_due_at = utcnow() - timedelta(hours=1)
        waiting.reminded_at = utcnow()
        db.session.add(
            AuditEntry(actor_id=staff.id, action="match_approved", target_type="match",
                       target_id=waiting.id, detail={"note": "x"})
        )  # fmt: skip
    db.session.commit()


def test_the_staff_console_pages_do_not_query_per_row(app):
    staff = StaffFactory()
    _staff_console_rows(staff, 1)
    volunteer = db.session.scalars(db.select(User).where(User.role == "volunteer")).first()
    paths = [
        "/staff/",
        "/staff/charities",
        "/staff/needs?quiet=1",
        "/staff/matches?state=proposed&region=Yorkshire+and+the+Humber&min_score=0",
        "/staff/matches?state=awaiting_replies&reminded=1",
        "/staff/audit",
        "/staff/audit?action=match_approved",
        "/staff/people",
        "/staff/people?skill=cybersecurity&available=y",
        f"/staff/people/{volunteer.id}",
        "/staff/reports",
        "/staff/reports?region=London&since=2020-01",
        "/staff/reports/funnel.csv",
        "/staff/reports/replies.csv",
        "/staff/reports/impact",
        "/staff/digest",
    ]
    client = _logged_in(app, staff.email)
    few = dict(zip(paths, _counts(client, paths), strict=True))
    _staff_console_rows(staff, 6)
    many = dict(zip(paths, _counts(client, paths), strict=True))
    grew = {p: (few[p], many[p]) for p in paths if few[p] != many[p]}
    assert grew == {}, f"queries grew with rows (few, many): {grew}"
