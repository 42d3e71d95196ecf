"""The app as `make bench-web` serves it: production configuration, over plain HTTP.

FOR THE BENCHMARK ONLY. Production cookies are `Secure` and `__Host-` (sent only over HTTPS);
the benchmark talks plain HTTP to 127.0.0.1, so this module turns that off, and it adds an
`X-Bench-Queries` header with the number of SQL statements each request ran. Nothing in the
app imports it; `gunicorn wsgi:app` never loads it.
"""

from __future__ import annotations

import logging
from contextlib import suppress

from flask import g
from sqlalchemy import event

from config import ProductionConfig
from trustee_match import create_app
from trustee_match.extensions import db


class BenchConfig(ProductionConfig):
    SESSION_COOKIE_NAME = "session"
    SESSION_COOKIE_SECURE = False
    REMEMBER_ME_COOKIE = "remember_login"
    PREFERRED_URL_SCHEME = "http"


app = create_app(BenchConfig)
# Emails are marked sent without sending: the benchmark has no SendGrid.
app.config["DEV_MAILBOX"] = True
logging.getLogger(__name__).warning("bench_wsgi: plain-HTTP cookies, for the benchmark only")

with app.app_context():

    @event.listens_for(db.engine, "before_cursor_execute")
    def _count(*_args: object, **_kwargs: object) -> None:
        with suppress(RuntimeError):  # outside an app context: not a page's query
            g.bench_queries = g.get("bench_queries", 0) + 1


@app.after_request
def _queries_header(response):  # type: ignore[no-untyped-def]
    response.headers["X-Bench-Queries"] = str(g.get("bench_queries", 0))
    return response
