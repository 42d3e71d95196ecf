"""Log lines are UTC, one line each, and carry no link tokens, searches or email addresses;
failed logins and refused pages are logged by user id."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
import time
import urllib.request
from contextlib import suppress
from pathlib import Path

from trustee_match.logs import JsonFormatter, OneLineFormatter

from .conftest import login
from .factories import VolunteerFactory

ROOT = Path(__file__).resolve().parent.parent


def _format(message: str, *args, exc: bool = False) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(OneLineFormatter())
    logger = logging.getLogger("tests.one_line")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        if exc:
            try:
                raise ValueError("bad value\nsecond line")
            except ValueError:
                logger.exception(message, *args)
        else:
            logger.warning(message, *args)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_a_line_is_utc_and_a_newline_in_a_value_cannot_forge_another_line():
    text = _format("name was %s", "Sam\n2026-01-01T00:00:00Z INFO forged: admin logged in")
    assert text.count("\n") == 1  # the record's own line end only
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ WARNING tests\.one_line: ", text)
    assert "Sam\\n2026" in text


def test_a_traceback_stays_on_its_line():
    text = _format("it failed", exc=True)
    assert text.count("\n") == 1
    assert "Traceback" in text and "bad value\\nsecond line" in text


def test_link_tokens_queries_and_addresses_are_redacted():
    text = _format(
        "GET %s %s %s from %s",
        "/account/reset-password/IjQ2Ig.secret-token",
        "/respond/12/accept/IjEyIg.other-secret",
        "/staff/users?q=priya%40example.org",
        "priya.shah@example.org",
    )
    for secret in ("secret-token", "other-secret", "priya", "example.org"):
        assert secret not in text
    assert "/account/reset-password/[token]" in text
    assert "/respond/12/accept/[token]" in text
    assert "/staff/users?[query]" in text and "[email]" in text


def test_a_failed_login_is_logged_by_user_id_not_email(client, caplog):
    volunteer = VolunteerFactory(email="priya.shah@example.org")
    with caplog.at_level(logging.INFO, logger="trustee_match"):
        login(client, volunteer.email, "not the password at all")
        login(client, "nobody@example.org", "not the password at all")
    assert f"login failed: user {volunteer.id}" in caplog.text
    assert "login failed: user unknown" in caplog.text
    assert "priya" not in caplog.text and "nobody" not in caplog.text


def test_a_refused_page_is_logged_with_who_asked(client, caplog):
    volunteer = VolunteerFactory()
    login(client, volunteer.email)
    with caplog.at_level(logging.WARNING, logger="trustee_match"):
        assert client.get("/staff/").status_code == 403
    assert f"forbidden: user {volunteer.id}, GET /staff/" in caplog.text


SECRET_PATHS = (
    "/account/reset-password/IjQ2Ig.secret-token?utm=priya%40example.org",
    "/respond/12/accept/IjEyIg.other-secret",
    "/healthz?q=priya.shah%40example.org",
)


def _gunicorn_log(tmp_path, **extra_env: str) -> str:
    """What gunicorn writes while it serves SECRET_PATHS once each."""
    env = {
        **os.environ,
        **extra_env,
        "TRUSTEE_MATCH_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'log.sqlite'}",
        "RUN_OUTBOX_WORKER_IN_PROCESS": "0",
        "TZ": "America/New_York",  # UTC must not depend on the machine's zone
    }
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-b", "127.0.0.1:0", "-w", "1", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        port = None
        for _ in range(600):  # gunicorn loads the app (preload_app) before it listens
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log_path.read_text())
            if found:
                port = found.group(1)
                break
            time.sleep(0.1)
        assert port, log_path.read_text()
        for path in SECRET_PATHS:
            with suppress(urllib.error.HTTPError):  # a 400 or 404 is logged all the same
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)
        time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=60)  # graceful: workers finish what they have (gunicorn.conf.py)
    return log_path.read_text()


def test_gunicorns_access_log_redacts_tokens_and_queries_and_is_utc(tmp_path):
    text = _gunicorn_log(tmp_path, LOG_FORMAT="text")
    access = [line for line in text.splitlines() if '"GET ' in line]
    assert len(access) == 3, text
    for secret in ("secret-token", "other-secret", "priya", "example.org"):
        assert secret not in text
    assert '"GET /account/reset-password/[token]?[query] HTTP/1.1" 400' in text
    assert "/respond/12/accept/[token]" in text
    assert all(re.search(r"\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\]", line) for line in access)


def test_in_production_gunicorn_and_the_app_log_one_json_object_a_line(tmp_path):
    text = _gunicorn_log(tmp_path, LOG_FORMAT="json")
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert all(set(line) >= {"time", "level", "logger"} for line in lines), text
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z", x["time"]) for x in lines)
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert [line["path"] for line in access] == [
        "/account/reset-password/[token]",
        "/respond/12/accept/[token]",
        "/healthz",
    ]
    assert [line["query"] for line in access] == ["[query]", None, "[query]"]
    assert access[0]["status"] == "400"
    for secret in ("secret-token", "other-secret", "priya", "example.org"):
        assert secret not in text


def test_json_log_lines_redact_and_keep_a_traceback_on_one_line():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.json_lines")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("bad\nvalue for priya@example.org")
        except ValueError:
            logger.error(
                "reset for %s at /account/verify/abc.def?x=1", "priya@example.org", exc_info=True
            )
    finally:
        logger.removeHandler(handler)
    [line] = stream.getvalue().splitlines()
    record = json.loads(line)
    assert record["message"] == "reset for [email] at /account/verify/[token]?[query]"
    assert record["level"] == "ERROR"
    assert "ValueError" in record["exception"]
    assert "priya" not in line
