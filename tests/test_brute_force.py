"""Password guessing is stopped per account across addresses and per address, the counts are
shared by every process through Redis, and logging in still works when Redis is down."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from flask import Flask

from config import TestConfig
from trustee_match import create_app

from .conftest import PASSWORD, post_form
from .factories import VolunteerFactory

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
WRONG = "not the password at all"


def _limited_app(config_class: type[TestConfig], **settings) -> Flask:
    """The app with rate limits on (the other tests turn them off).

    Flask-Limiter's one limiter keeps some settings (the key prefix) from the first app it
    meets, so every app here keeps the configured prefix; each gets a fresh storage.
    """
    settings.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    config = type("Limited", (config_class,), {"RATELIMIT_ENABLED": True, **settings})
    return create_app(config)


def _attempt(app: Flask, email: str, password: str, ip: str = "127.0.0.1", **headers):
    client = app.test_client()
    return post_form(
        client,
        "/account/login",
        {"email": email, "password": password},
        environ_base={"REMOTE_ADDR": ip},
        headers=headers,
    )


def test_ten_failures_from_three_addresses_lock_the_account_even_for_the_right_password(
    app, config_class
):
    volunteer = VolunteerFactory()
    bystander = VolunteerFactory()
    limited = _limited_app(config_class)
    for n in range(10):
        wrong = _attempt(limited, volunteer.email, WRONG, ip=f"198.51.100.{n % 3}")
        assert "do not match an account" in wrong.get_data(as_text=True)

    locked = _attempt(limited, volunteer.email, PASSWORD, ip="198.51.100.200")

    assert locked.status_code == 429
    page = locked.get_data(as_text=True)
    assert "Too many attempts" in page and "try again in 15 minutes" in page
    assert "Retry-After" in locked.headers
    # Other accounts, even from the guessing addresses, are not locked out.
    assert _attempt(limited, bystander.email, PASSWORD, ip="198.51.100.1").status_code == 302


def test_successful_logins_do_not_count_against_the_account(app, config_class):
    volunteer = VolunteerFactory()
    limited = _limited_app(config_class, LOGIN_FAILURES_PER_ACCOUNT="3 per 15 minutes")
    for n in range(5):
        assert _attempt(limited, volunteer.email, PASSWORD, ip=f"198.51.100.{n}").status_code == 302


def test_an_address_gets_so_many_attempts_whatever_the_accounts(app, config_class):
    assert TestConfig.LOGIN_ATTEMPTS_PER_IP == "20 per 10 minutes"
    limited = _limited_app(config_class, LOGIN_ATTEMPTS_PER_IP="5 per 10 minutes")
    for n in range(5):
        assert (
            _attempt(limited, f"guess{n}@example.org", WRONG, ip="203.0.113.7").status_code == 200
        )
    assert _attempt(limited, "guess99@example.org", WRONG, ip="203.0.113.7").status_code == 429
    assert _attempt(limited, "guess99@example.org", WRONG, ip="203.0.113.8").status_code == 200


def test_behind_one_proxy_each_client_address_is_counted_not_the_proxys(app, config_class):
    limited = _limited_app(
        config_class, PROXY_FIX_X_FOR=1, LOGIN_ATTEMPTS_PER_IP="5 per 10 minutes"
    )
    for n in range(5):
        # A forged first hop is ignored: only the address our proxy appended counts.
        forwarded = f"10.9.9.{n}, 203.0.113.7"
        assert _attempt(limited, f"g{n}@example.org", WRONG, **{"X-Forwarded-For": forwarded})
    blocked = _attempt(limited, "g@example.org", WRONG, **{"X-Forwarded-For": "203.0.113.7"})
    other = _attempt(limited, "g@example.org", WRONG, **{"X-Forwarded-For": "203.0.113.8"})
    assert blocked.status_code == 429
    assert other.status_code == 200


def test_production_trusts_one_proxy_by_default():
    from config import ProductionConfig

    assert ProductionConfig.PROXY_FIX_X_FOR == 1
    assert TestConfig.PROXY_FIX_X_FOR == 0


_GUESSER = """
import os, re
from config import TestConfig
from trustee_match import create_app

class Config(TestConfig):
    SQLALCHEMY_DATABASE_URI = os.environ["DB"]
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ["REDIS"]
    LOGIN_FAILURES_PER_ACCOUNT = "3 per 15 minutes"

client = create_app(Config).test_client()
for n in range(3):
    html = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    data = {"csrf_token": token, "email": os.environ["EMAIL"], "password": "wrong guess"}
    print(client.post("/account/login", data=data, environ_base={"REMOTE_ADDR": f"10.1.0.{n}"})
          .status_code)
"""


def _redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason=f"no Redis at {REDIS_URL}")
def test_two_processes_share_the_count_through_redis(app, config_class):
    volunteer = VolunteerFactory()
    store = redis.Redis.from_url(REDIS_URL)
    prefix = f"LIMITS:LIMITER/{config_class.RATELIMIT_KEY_PREFIX}/*"
    for key in store.scan_iter(prefix):  # counts left by an earlier run of the suite
        store.delete(key)
    env = {
        **os.environ,
        "DB": config_class.SQLALCHEMY_DATABASE_URI,
        "REDIS": REDIS_URL,
        "EMAIL": volunteer.email,
    }
    other_process = subprocess.run(
        [sys.executable, "-c", _GUESSER], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert other_process.stdout.split() == ["200"] * 3, other_process.stderr[-2000:]

    this_process = _limited_app(
        config_class,
        RATELIMIT_STORAGE_URI=REDIS_URL,
        LOGIN_FAILURES_PER_ACCOUNT="3 per 15 minutes",
    )
    assert _attempt(this_process, volunteer.email, PASSWORD).status_code == 429
    keys = list(store.scan_iter(prefix))
    assert keys and not any(volunteer.email.encode() in key for key in keys)
    store.delete(*keys)


def test_with_redis_down_login_still_works_and_the_fallback_is_logged(app, config_class, caplog):
    volunteer = VolunteerFactory()
    unreachable = _limited_app(
        config_class,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/5",
        LOGIN_FAILURES_PER_ACCOUNT="3 per 15 minutes",
    )
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        response = _attempt(unreachable, volunteer.email, PASSWORD)
    assert response.status_code == 302
    assert "Rate limit storage unreachable" in caplog.text
    # Meanwhile each process still counts on its own.
    for n in range(3):
        assert _attempt(unreachable, volunteer.email, WRONG, ip=f"10.2.0.{n}").status_code == 200
    assert _attempt(unreachable, volunteer.email, PASSWORD).status_code == 429
