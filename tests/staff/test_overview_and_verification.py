"""The staff Overview (today's work, with counts and links) and verifying charities."""

from __future__ import annotations

from datetime import timedelta

from trustee_match.extensions import db
from trustee_match.matches.actions import approve_match, propose_match
from trustee_match.models import (
    Cause,
    CharityStatus,
    Match,
    MatchState,
    OutboxMessage,
    OutboxStatus,
)
from trustee_match.models.base import utcnow
from trustee_match.services.charities import register_link

from ..conftest import login, outbox_for, post_form
from ..factories import (
    CharityFactory,
    CharityUserFactory,
    NeedFactory,
    StaffFactory,
    VolunteerFactory,
)


def _staff_client(app):
    staff = StaffFactory(email="staff@example.org")
    client = app.test_client()
    login(client, staff.email)
    return client, staff


def _stat(html: str, words: str) -> int:
    """The number shown in the Overview card whose label starts with `words`."""
    import re

    found = re.search(r'<span class="stat">(\d+)</span> ' + re.escape(words), html)
    assert found, f"no card {words!r}"
    return int(found.group(1))


def test_overview_counts_todays_work_and_links_to_each_list(app):
    client, staff = _staff_client(app)
    now = utcnow()
    old = CharityFactory(
        name="Old Pending Trust",
        status=CharityStatus.PENDING,
        verified_at=None,
        created_at=now - timedelta(days=400),
    )
    CharityFactory(name="New Pending Trust", status=CharityStatus.PENDING, verified_at=None)
    # A role open 20 days with no introduction, and one open 3 days.
    quiet = NeedFactory(title="Quiet role", published_at=now - timedelta(days=20))
    NeedFactory(title="Fresh role", published_at=now - timedelta(days=3))
    propose_match(staff, quiet, VolunteerFactory())  # one proposal to review
    overdue = propose_match(staff, NeedFactory(), VolunteerFactory())
    approve_match(staff, overdue)
    overdue.replies_due_at = now - timedelta(hours=1)
    reminded = propose_match(staff, NeedFactory(), VolunteerFactory())
    approve_match(staff, reminded)
    reminded.reminded_at = now
    asked = propose_match(staff, NeedFactory(), VolunteerFactory())
    asked.state, asked.introduced_at, asked.outcome_asked_at = MatchState.INTRODUCED, now, now
    db.session.add(
        Match(need=NeedFactory(), volunteer=VolunteerFactory(), state=MatchState.EXPIRED)
    )
    failed = db.session.scalars(db.select(OutboxMessage)).first()
    failed.status = OutboxStatus.FAILED
    bounced = db.session.scalars(db.select(OutboxMessage).offset(1)).first()
    bounced.delivery_status = "bounce"
    db.session.commit()

    response = client.get("/staff/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _stat(html, "charities to verify") == 2
    assert "Old Pending Trust</a></td><td>400</td>" in html
    assert html.index("Old Pending Trust") < html.index("New Pending Trust")  # oldest first
    assert _stat(html, "proposals to review") == 1
    assert _stat(html, "roles open 14+ days with no introduction") == 1
    assert _stat(html, "replies overdue") == 1
    assert _stat(html, "reminded, still no reply") == 1
    assert _stat(html, "matches expired in the last 7 days") == 1
    assert _stat(html, "outcomes not yet recorded") == 1
    assert _stat(html, "emails bounced") == 1
    assert _stat(html, "emails failed to send") == 1
    assert f'href="/staff/charities/{old.id}"' in html

    # Each link leads to the list it counts.
    quiet_page = client.get("/staff/needs?quiet=1").get_data(as_text=True)
    assert "Quiet role" in quiet_page and "Fresh role" not in quiet_page
    reminded_page = client.get("/staff/matches?state=awaiting_replies&reminded=1")
    assert reminded_page.get_data(as_text=True).count("reminded ") >= 1
    assert "1 match." in reminded_page.get_data(as_text=True)
    outcome = client.get("/staff/matches?state=introduced&outcome_due=1").get_data(as_text=True)
    assert "1 match." in outcome
    assert "Bounced" in client.get("/staff/emails?status=bounced").get_data(as_text=True)


def test_overview_with_nothing_to_do_says_so(app):
    client, _ = _staff_client(app)
    assert "Nothing is waiting for the team today." in client.get("/staff/").get_data(as_text=True)


def test_register_links_follow_the_number_format():
    ew = register_link("1123456")
    assert ew.url.endswith("/charity-details/1123456")
    assert "charitycommission.gov.uk" in ew.url
    sc = register_link("sc 012345")
    assert sc.url == (
        "https://www.oscr.org.uk/about-charities/search-the-register/charity-details"
        "?number=SC012345"
    )
    ni = register_link("NIC100001")
    assert "charitycommissionni.org.uk" in ni.url and "regId=100001" in ni.url
    assert register_link(None) is None
    assert register_link("12AB") is None


def test_verification_page_shows_what_staff_need_to_check(app):
    client, _ = _staff_client(app)
    charity = CharityFactory(
        name="Glen Trust",
        regulator_number="SC012345",
        status=CharityStatus.PENDING,
        verified_at=None,
        website="https://glen.example.org",
        description="We run mountain safety courses.",
        created_at=utcnow() - timedelta(days=12),
    )
    charity.causes = list(db.session.scalars(db.select(Cause).order_by(Cause.id).limit(2)))
    db.session.commit()
    html = client.get(f"/staff/charities/{charity.id}").get_data(as_text=True)
    assert "Waiting for verification for 12 days" in html
    assert "oscr.org.uk" in html and "number=SC012345" in html
    assert "We run mountain safety courses." in html
    assert "https://glen.example.org" in html
    for cause in charity.causes:
        assert cause.name in html
    listing = client.get("/staff/charities").get_data(as_text=True)
    assert "Glen Trust" in listing and "<td>12</td>" in listing


def test_a_second_verify_is_a_clear_message_not_a_second_email(app):
    client, _ = _staff_client(app)
    charity = CharityFactory(name="Twice Trust", status=CharityStatus.PENDING, verified_at=None)
    member = CharityUserFactory(charity=charity, email="chair@twice.org")
    path = f"/staff/charities/{charity.id}"
    first = post_form(client, f"{path}/verify", {}, form_path=path, follow_redirects=True)
    assert "Twice Trust is verified" in first.get_data(as_text=True)
    # The second click comes from the same (now stale) page: its form is still there.
    token_page = client.get("/staff/charities")
    assert token_page.status_code == 200
    second = post_form(client, f"{path}/verify", {}, form_path="/staff/", follow_redirects=True)
    html = second.get_data(as_text=True)
    assert "Twice Trust was already verified by staff@example.org" in html
    assert "nobody was emailed again" in html
    assert [m.kind for m in outbox_for(member.email)] == ["charity_verified"]


def test_rejecting_needs_a_reason_and_rejecting_twice_emails_once(app):
    client, _ = _staff_client(app)
    charity = CharityFactory(name="Doubt Trust", status=CharityStatus.PENDING, verified_at=None)
    member = CharityUserFactory(charity=charity, email="chair@doubt.org")
    path = f"/staff/charities/{charity.id}"
    blank = post_form(client, f"{path}/reject", {"reason": "  "}, form_path=path)
    assert blank.status_code == 400
    assert "Give a reason" in blank.get_data(as_text=True)
    post_form(client, f"{path}/reject", {"reason": "Not on the register."}, form_path=path)
    again = post_form(
        client,
        f"{path}/reject",
        {"reason": "Still not."},
        form_path="/staff/",
        follow_redirects=True,
    )
    assert "is not waiting for verification" in again.get_data(as_text=True)
    assert [m.kind for m in outbox_for(member.email)] == ["charity_rejected"]


def test_two_staff_verifying_at_once_verify_and_email_once(app):
    from sqlalchemy import update

    from trustee_match.models import Charity
    from trustee_match.services.charities import verify_charity
    from trustee_match.services.errors import InvalidTransition

    staff, other = StaffFactory(), StaffFactory(email="other@example.org")
    charity = CharityFactory(name="Race Trust", status=CharityStatus.PENDING, verified_at=None)
    member = CharityUserFactory(charity=charity)
    # The other staff member's request commits first, on its own connection; this session
    # still holds the charity as pending.
    with db.engine.begin() as conn:
        conn.execute(
            update(Charity)
            .where(Charity.id == charity.id)
            .values(status=CharityStatus.VERIFIED, verified_by_id=other.id, verified_at=utcnow())
        )
    assert charity.is_pending
    try:
        verify_charity(staff, charity)
    except InvalidTransition as error:
        assert "already verified by other@example.org" in str(error)
    else:
        raise AssertionError("verified twice")
    assert outbox_for(member.email) == []
