"""Log lines: UTC, one line each, and nothing that would let a reader act as someone.

Emailed links carry single-use tokens in their path, and query strings can carry searches for
people; both are redacted wherever a URL is logged (our lines, werkzeug's in development,
gunicorn's access log via gunicorn.conf.py). Email addresses are masked in every message.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
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


class JsonFormatter(logging.Formatter):
    """One JSON object a line (production: log collectors parse it, no regex needed):
    `{"time": "2026-12-01T22:30:00.123Z", "level": "WARNING", "logger": ..., "message": ...}`,
    with the traceback, redacted, in "exception". json.dumps escapes control characters, so a
    value can never start a line of its own."""

    def format(self, record: logging.LogRecord) -> str:
        moment = time.gmtime(record.created)
        line: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", moment) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "process": record.process,
        }
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update({k: redact(v) if isinstance(v, str) else v for k, v in fields.items()})
        return json.dumps(line, ensure_ascii=False, default=str)


def json_wanted() -> bool:
    """JSON lines in production unless LOG_FORMAT=text; LOG_FORMAT=json asks for them anywhere."""
    chosen = os.environ.get("LOG_FORMAT", "").strip().lower()
    if chosen in {"json", "text"}:
        return chosen == "json"
    return os.environ.get("TRUSTEE_MATCH_ENV") == "production"


def make_formatter(as_json: bool) -> logging.Formatter:
    return JsonFormatter() if as_json else OneLineFormatter()


def configure_logging(level: int = logging.INFO, *, as_json: bool | None = None) -> None:
    """Send every logger's lines to stdout through one of the formatters above (once per
    process)."""
    root = logging.getLogger()
    if any(isinstance(h.formatter, OneLineFormatter | JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(make_formatter(json_wanted() if as_json is None else as_json))
    root.addHandler(handler)
    root.setLevel(level)


class GunicornLogger(GunicornBaseLogger):
    """gunicorn's logger with UTC times, redacted URLs and one-line messages (gunicorn.conf.py)."""

    error_fmt = "%(asctime)sZ %(levelname)s gunicorn: %(message)s"
    datefmt = "%Y-%m-%dT%H:%M:%S"

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.as_json = json_wanted()
        for handler in self.error_log.handlers:
            handler.setFormatter(make_formatter(self.as_json))
        if self.as_json:
            for handler in self.access_log.handlers:
                handler.setFormatter(logging.Formatter("%(message)s"))

    def access(self, resp: Any, req: Any, environ: dict, request_time: Any) -> None:
        if not self.as_json:
            super().access(resp, req, environ, request_time)
            return
        if not (self.cfg.accesslog or self.cfg.logconfig or self.cfg.syslog):
            return
        atoms = self.atoms(resp, req, environ, request_time)
        line = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "level": "INFO",
            "logger": "gunicorn.access",
            "remote": atoms.get("h"),
            "method": atoms.get("m"),
            "path": atoms.get("U"),
            "query": atoms.get("q") or None,
            "status": atoms.get("s"),
            "bytes": atoms.get("B"),
            "ms": atoms.get("M"),
            "user_agent": atoms.get("a"),
        }
        try:
            self.access_log.info(json.dumps(line, ensure_ascii=False, default=str))
        except Exception:
            self.error("Failed to log the request as JSON")

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
