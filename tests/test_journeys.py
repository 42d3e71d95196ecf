"""Each person's first steps, walked through the site as they would walk them."""

from __future__ import annotations

from trustee_match.extensions import db
from trustee_match.models import Charity, CharityStatus, Need, NeedStatus, User

from .conftest import PASSWORD, link_in, login, logout, outbox_for, post_form
from .factories import CharityFactory, CharityUserFactory, NeedFactory, StaffFactory, skill


def test_volunteer_signs_up_verifies_logs_in_fills_profile_and_browses(client):
    response = post_form(
        client,
        "/account/signup/volunteer",
        {
            "display_name": "Priya Shah",
            "email": "Priya.Shah@Example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 302 and "/account/check-email" in response.location

    # Not verified yet: logging in sends a fresh link instead of letting them in.
    response = login(client, "priya.shah@example.org")
    assert "/account/check-email" in response.location

    emails = outbox_for("priya.shah@example.org")
    assert [m.kind for m in emails] == ["verify_email", "verify_email"]
    response = client.get(link_in(emails[-1], "/account/verify/"))
    assert response.status_code == 302
    assert db.session.scalar(db.select(User)).email_verified

    response = login(client, "PRIYA.SHAH@example.org")
    assert response.status_code == 302 and response.location.endswith("/volunteer/")
    assert "Finish your profile" in client.get("/volunteer/").get_data(as_text=True)

    security, gdpr = skill("cybersecurity"), skill("data-protection")
    response = post_form(
        client,
        "/volunteer/profile",
        {
            "display_name": "Priya Shah",
            "headline": "Security architect at a bank",
            "bio": "I protect payment systems and want to help a charity stay safe online.",
            "skills": [str(security.id), str(gdpr.id)],
            f"level-{security.id}": "expert",
            f"level-{gdpr.id}": "practitioner",
            "region": "London",
            "remote_ok": "y",
            "hours_per_month": "6",
            "board_experience": "some",
            "available": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    profile = db.session.scalar(db.select(User)).volunteer_profile
    assert {(s.skill.slug, s.level.value) for s in profile.skills} == {
        ("cybersecurity", "expert"),
        ("data-protection", "practitioner"),
    }
    assert profile.is_complete

    NeedFactory(title="Trustee for cyber resilience", region="London")
    NeedFactory(title="Finance trustee for a Cardiff hospice", region="Wales", remote_ok=False)
    page = client.get("/volunteer/needs?region=London").get_data(as_text=True)
    assert "Trustee for cyber resilience" in page
    assert "Cardiff hospice" not in page
    page = client.get("/volunteer/needs").get_data(as_text=True)
    assert "Trustee for cyber resilience" in page and "Cardiff hospice" in page


def test_charity_drafts_a_need_cannot_publish_until_verified_then_publishes(client):
    response = post_form(
        client,
        "/account/signup/charity",
        {
            "contact_name": "Dee Okafor",
            "job_title": "Chief executive",
            "email": "dee@leedsyouth.org.uk",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "charity_name": "Leeds Youth Trust",
            "regulator_number": "1123456",
            "region": "Yorkshire and the Humber",
        },
    )
    assert response.status_code == 302
    client.get(link_in(outbox_for("dee@leedsyouth.org.uk")[0], "/account/verify/"))
    login(client, "dee@leedsyouth.org.uk")
    assert "We are checking your charity" in client.get("/charity/").get_data(as_text=True)

    response = post_form(
        client,
        "/charity/needs/new",
        {
            "title": "Digital trustee",
            "description": "Help our board with our website and data.",
            "required_skills": [str(skill("digital-strategy").id)],
            "region": "Yorkshire and the Humber",
            "town": "Leeds",
            "remote_ok": "y",
            "hours_per_month": "5",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    need = db.session.scalar(db.select(Need))
    assert need.status == NeedStatus.DRAFT

    response = publish(client, need)
    assert "has not been verified yet" in response.get_data(as_text=True)
    db.session.refresh(need)
    assert need.status == NeedStatus.DRAFT

    charity = db.session.scalar(db.select(Charity))
    staff_verifies(client, charity)
    login(client, "dee@leedsyouth.org.uk")

    response = publish(client, need)
    assert "The role is published" in response.get_data(as_text=True)
    db.session.refresh(need)
    assert need.status == NeedStatus.OPEN
    assert [m.kind for m in outbox_for("dee@leedsyouth.org.uk")][-1] == "charity_verified"


def publish(client, need: Need):
    """Press the need's Publish button, as its charity sees it."""
    return post_form(
        client,
        f"/charity/needs/{need.id}/status",
        {"action": "publish"},
        form_path=f"/charity/needs/{need.id}",
        follow_redirects=True,
    )


def staff_verifies(client, charity: Charity) -> None:
    logout(client)
    staff = StaffFactory(email="staff@example.org")
    login(client, staff.email)
    queue = client.get("/staff/charities").get_data(as_text=True)
    assert charity.name in queue
    response = post_form(
        client,
        f"/staff/charities/{charity.id}/verify",
        {},
        form_path=f"/staff/charities/{charity.id}",
    )
    assert response.status_code == 302
    logout(client)


def test_staff_verifies_a_charity_and_it_leaves_the_queue(client):
    charity = CharityFactory(status=CharityStatus.PENDING, verified_at=None, name="Hull Food Bank")
    CharityUserFactory(email="member@hullfood.org", charity=charity)
    staff = StaffFactory()
    login(client, staff.email)
    assert "Hull Food Bank" in client.get("/staff/charities").get_data(as_text=True)
    post_form(
        client,
        f"/staff/charities/{charity.id}/verify",
        {},
        form_path=f"/staff/charities/{charity.id}",
    )
    db.session.refresh(charity)
    assert charity.status == CharityStatus.VERIFIED
    assert charity.verified_by_id == staff.id
    queue = client.get("/staff/charities").get_data(as_text=True)
    assert "Hull Food Bank is verified" in queue  # the flash message
    assert "No charities here." in queue
    assert outbox_for("member@hullfood.org")[0].kind == "charity_verified"


def test_staff_rejects_a_charity_with_a_reason_the_charity_sees(client):
    charity = CharityFactory(status=CharityStatus.PENDING, verified_at=None)
    member = CharityUserFactory(charity=charity)
    login(client, StaffFactory().email)
    response = post_form(
        client,
        f"/staff/charities/{charity.id}/reject",
        {"reason": "We could not find this number on the register."},
        form_path=f"/staff/charities/{charity.id}",
    )
    assert response.status_code == 302
    db.session.refresh(charity)
    assert charity.status == CharityStatus.REJECTED
    assert "could not find this number" in outbox_for(member.email)[0].text_body


def test_editing_a_need_shows_its_skills_ticked_in_their_groups(client):
    member = CharityUserFactory()
    need = NeedFactory(charity=member.charity)
    from .factories import need_skills

    need_skills(need, required=("cybersecurity",), desired=("data-protection",))
    login(client, member.email)
    page = client.get(f"/charity/needs/{need.id}/edit").get_data(as_text=True)
    required = skill("cybersecurity").id
    desired = skill("data-protection").id
    assert f'id="required_skills-{required}" checked' in page
    assert f'id="desired_skills-{desired}" checked' in page
    assert f'id="required_skills-{desired}" checked' not in page
