"""The charity blueprint, locked to charity members: the view modules register routes on `bp`."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from ..models import Charity, Role
from ..permissions import require_role

bp = Blueprint("charity", __name__)
bp.before_request(require_role(Role.CHARITY))


def my_charity() -> Charity:
    """The signed-in member's charity (a charity account without one sees nothing)."""
    charity = current_user.charity
    if charity is None:
        abort(403)
    return charity
