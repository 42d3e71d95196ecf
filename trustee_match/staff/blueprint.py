"""The staff blueprint, locked to staff: the view modules register their routes on `bp`."""

from __future__ import annotations

from flask import Blueprint

from ..models import Role
from ..permissions import require_role

bp = Blueprint("staff", __name__)
bp.before_request(require_role(Role.STAFF))
