"""WSGI entry point: `gunicorn wsgi:app`."""

from trustee_match import create_app

app = create_app()
