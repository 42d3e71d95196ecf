"""Log lines: UTC, one line each, and nothing that would let a reader act as someone.

Emailed links carry single-use tokens in their path, and query strings can carry searches for
people; both are redacted wherever a URL is logged (our lines, werkzeug's in development,
gunicorn's access log via gunicorn.conf.py). Email addresses are masked in every message.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from gunicorn.glogging import Logger as GunicornBaseLogger

# The token segment of the paths that emailed links open.
_TOKEN_PATHS = re.compile(
    r"(/account/verify/|/account/reset-password/|/respond/\d+/[^/\s?\"]+/)[^/\s?\"]+"
)
_QUERY = re.compile(r"\?[^\s\"]*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def redact(text: str) -> str:
    """`text` with link tokens, query strings and email addresses replaced."""
    text = _TOKEN_PATHS.sub(r"\1[token]", text)
    text = _QUERY.sub("?[query]", text)
    return _EMAIL.sub("[email]", text)


def one_line(text: str) -> str:
    """Control characters escaped, so a value can never start a forged log line."""
    return _CONTROL.sub(lambda found: repr(found.group())[1:-1], text)


class OneLineFormatter(logging.Formatter):
    """`2026-12-01T22:30:00Z WARNING trustee_match.auth: message`, tracebacks on the same line."""

    converter = time.gmtime

    def __init__(self) -> None:
        super().__init__("%(asctime)sZ %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        return one_line(redact(super().format(record)))


def configure_logging(level: int = logging.INFO) -> None:
    """Send every logger's lines through the formatter above (once per process)."""
    root = logging.getLogger()
    if any(isinstance(h.formatter, OneLineFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter())
    root.addHandler(handler)
    root.setLevel(level)


class GunicornLogger(GunicornBaseLogger):
    """gunicorn's logger with UTC times, redacted URLs and one-line messages (gunicorn.conf.py)."""

    error_fmt = "%(asctime)sZ %(levelname)s gunicorn: %(message)s"
    datefmt = "%Y-%m-%dT%H:%M:%S"

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(OneLineFormatter())

    def now(self) -> str:
        return time.strftime("[%Y-%m-%dT%H:%M:%SZ]", time.gmtime())

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "q", "f", "a"):
            if isinstance(atoms.get(key), str):
                atoms[key] = one_line(redact(atoms[key]))
        if atoms.get("q"):
            atoms["q"] = "[query]"
        return atoms
