"""The benchmark's staff accounts, with two-step verification set up (tools/bench_web.py runs it).

FOR THE BENCHMARK ONLY. Run with the served code first on PYTHONPATH and the served
environment: it loads tools/bench_wsgi.py's app, so the secrets are encrypted with exactly the
key gunicorn decrypts them with. It creates `bench-staff-NN@example.org` (the demo password)
where missing, sets each up the way a staff member does at their first login (the app's
`start_setup`, then `confirm_setup` with a code from the secret), and writes one JSON object
to --out: {email: {"secret": ..., "last_step": ...}}; `last_step` is the 30-s step whose code
the account used last, which locust must not post again. An account already set up keeps its
secret, read back through the service. Code from before two-step verification: the accounts,
no secrets (`null`).

It first checks that every table and column the models use exists: a database recorded at a
migration that never ran on it (migrations re-chained after it was upgraded) would otherwise
fail in the middle of the benchmark.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sqlalchemy import inspect

PASSWORD = "trustee-demo-2026"  # noqa: S105 - the published demo password


def missing_schema(db) -> list[str]:  # type: ignore[no-untyped-def]
    """Tables and columns of the models that the database lacks."""
    found = inspect(db.engine)
    tables = set(found.get_table_names())
    missing = []
    for table in db.metadata.sorted_tables:
        if table.name not in tables:
            missing.append(table.name)
            continue
        columns = {column["name"] for column in found.get_columns(table.name)}
        missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in columns]
    return missing


def _set_up(user, second_factor, pyotp) -> str:  # type: ignore[no-untyped-def]
    """The account's secret, setting two-step verification up (again) when it is not readable."""
    if user.has_second_factor:
        secret = second_factor.secret_of(user)
        if secret is not None:
            return secret
        second_factor.reset(user)  # SECRET_KEY / SECOND_FACTOR_KEY changed since the last run
    second_factor.start_setup(user)
    secret = second_factor.secret_of(user)
    second_factor.confirm_setup(user, pyotp.TOTP(secret).now())
    return secret


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True, help="staff accounts to set up")
    parser.add_argument("--out", type=Path, required=True, help="the JSON file to write")
    args = parser.parse_args()

    from bench_wsgi import app

    from trustee_match.extensions import db
    from trustee_match.services.accounts import create_staff, find_user_by_email

    try:
        import pyotp

        from trustee_match.services import second_factor
    except ImportError:  # code from before two-step verification
        second_factor = None

    out: dict[str, dict | None] = {}
    with app.app_context():
        if missing := missing_schema(db):
            raise SystemExit(
                f"{db.engine.url.database} lacks {', '.join(missing)} although its recorded "
                "migration is the newest: a migration was re-chained after this database was "
                "upgraded. Apply the skipped ones by hand (`flask db upgrade --sql A:B | psql`, "
                "then `flask db upgrade`), or drop the database to seed it again."
            )
        for n in range(1, args.count + 1):
            email = f"bench-staff-{n:02d}@example.org"
            user = find_user_by_email(email) or create_staff(email, PASSWORD)[0]
            if second_factor is None:
                out[email] = None
                continue
            secret = _set_up(user, second_factor, pyotp)
            db.session.refresh(user)
            out[email] = {"secret": secret, "last_step": user.totp_last_step or 0}
    args.out.write_text(json.dumps(out))


if __name__ == "__main__":
    main()
