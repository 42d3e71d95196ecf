"""The audit log: who did what, when; filterable, paginated, and read-only (no route edits or
deletes an entry)."""

from __future__ import annotations

from flask import render_template, request

from ..extensions import db
from ..labels import action_name, audit_details
from ..services.audit_log import AuditFilters, audit_choices, audit_query
from .blueprint import bp
from .forms import AuditFilterForm

PAGE_SIZE = 50


@bp.route("/audit")
def audit() -> tuple[str, int]:
    form = AuditFilterForm(request.args)
    staff, actions = audit_choices()
    form.actor.choices = [("", "Anyone"), ("system", "The system"), *staff]
    form.action.choices = [("", "Anything"), *((a, action_name(a)) for a in actions)]
    valid = form.validate()
    filters = (
        AuditFilters(
            actor=form.actor.data or "",
            action=form.action.data or "",
            target_type=form.target_type.data or "",
            target_id=form.target_id.data,
            since=form.since.data,
            until=form.until.data,
        )
        if valid
        else AuditFilters()
    )
    page = request.args.get("page", 1, type=int)
    results = db.paginate(audit_query(filters), page=page, per_page=PAGE_SIZE, error_out=False)
    html = render_template(
        "staff/audit.html",
        form=form,
        results=results,
        action_name=action_name,
        audit_details=audit_details,
        filter_args={k: v for k, v in request.args.items() if k != "page"},
    )
    return html, 200 if valid else 400
