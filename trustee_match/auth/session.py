"""How Flask-Login finds the user behind a session."""

from __future__ import annotations

from flask_login import LoginManager
from sqlalchemy import select

from ..extensions import db
from ..models import User


def configure_login(manager: LoginManager) -> None:
    manager.login_view = "auth.login"
    manager.login_message = "Please log in to see that page."
    manager.login_message_category = "info"
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(session_token: str) -> User | None:
        # The session holds the user's session token, not the id: a password change rotates it,
        # which logs out every other session.
        return db.session.scalar(select(User).where(User.session_token == session_token))
