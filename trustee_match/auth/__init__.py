"""Accounts: sign-up, logging in (password, then two-step code), passwords.

views.py           sign-up, log in and out, email verification, passwords
two_step_views.py  two-step verification: the code at login, setting it up, switching it off
privacy_views.py   your data: download it as JSON, delete the account (imported by views.py)
"""

from . import two_step_views, views  # noqa: F401 - registers routes
from .blueprint import bp

__all__ = ["bp"]
