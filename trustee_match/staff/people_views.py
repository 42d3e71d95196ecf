"""People: find volunteers by what they offer, and open one's profile (a view of their contact
details goes in the audit log)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Cause, Match, Need, Skill
from ..services.audit import record_contact_views
from ..services.people_search import PeopleFilters, people_query, person_query
from .blueprint import bp
from .forms import PeopleSearchForm

PAGE_SIZE = 25


def _search_form() -> PeopleSearchForm:
    form = PeopleSearchForm(request.args)
    skills = db.session.scalars(select(Skill).order_by(Skill.position, Skill.name)).all()
    causes = db.session.scalars(select(Cause).order_by(Cause.position)).all()
    form.skill.choices = [("", "Any skill")] + [(s.slug, s.name) for s in skills]
    form.cause.choices = [("", "Any cause")] + [(c.slug, c.name) for c in causes]
    return form


@bp.route("/people")
def people() -> tuple[str, int]:
    form = _search_form()
    searched = any(v for k, v in request.args.items() if k != "page")
    valid = form.validate() if searched else True
    filters = PeopleFilters(
        name=form.name.data or "",
        skill=form.skill.data or "",
        region=form.region.data or "",
        cause=form.cause.data or "",
        available=bool(form.available.data),
        min_hours=form.min_hours.data,
    )
    query = people_query(filters if valid else PeopleFilters())
    page = request.args.get("page", 1, type=int)
    results = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    html = render_template(
        "staff/people.html",
        form=form,
        results=results,
        filter_args={k: v for k, v in request.args.items() if k != "page"},
    )
    return html, 200 if valid else 400


@bp.route("/people/<int:user_id>")
def person(user_id: int) -> str:
    volunteer = db.one_or_404(person_query(user_id))
    matches = db.session.scalars(
        select(Match)
        .where(Match.volunteer_id == volunteer.id)
        .options(selectinload(Match.need).selectinload(Need.charity))
        .order_by(Match.created_at.desc())
    ).all()
    html = render_template("staff/person.html", volunteer=volunteer, matches=matches)
    record_contact_views(current_user, [volunteer.id], "volunteer profile")
    return html
