"""Fixtures for delivery tests: a real mock of SendGrid (Stoplight Prism) on loopback.

Prism serves SendGrid's own OpenAPI spec of the mail API and validates every request against it,
so a body SendGrid would refuse fails here too. It is installed from tools/prism (pinned) the
first time, started once per test session on a free port, and stopped by its PID.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from .relay import FaultRelay

REPO = Path(__file__).resolve().parents[2]
PRISM_DIR = REPO / "tools" / "prism"
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / "prism"
SPEC = REPO / ".." / "shared" / "sendgrid" / "tsg_mail_v3.json"
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _install_prism() -> None:
    npm = shutil.which("npm")
    assert npm, "npm is needed to install the SendGrid mock (tools/prism)"
    subprocess.run(
        [npm, "ci", "--prefix", str(PRISM_DIR), "--no-audit", "--no-fund"],
        check=True,
        timeout=600,
    )


def _wait_until_listening(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Prism exited with {process.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"Prism did not listen within {STARTUP_SECONDS}s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of Prism mocking SendGrid's mail API, for this test session."""
    assert SPEC.resolve().is_file(), f"SendGrid spec not found at {SPEC}"
    if not PRISM_BIN.exists():
        _install_prism()
    port = free_port()
    log = tmp_path_factory.mktemp("prism") / "prism.log"
    with log.open("wb") as out:
        # Started directly, not through npx, whose child would outlive it.
        process = subprocess.Popen(
            [str(PRISM_BIN), "mock", str(SPEC.resolve()), "-h", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_listening(process, port, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def relay(prism_url: str) -> Iterator[FaultRelay]:
    """A fake SendGrid edge in front of Prism that injects the faults a test plans."""
    server = FaultRelay(prism_url)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def use_sendgrid(app: Flask, host: str, **settings: object) -> None:
    """Configure `app` to send through SendGrid at `host`, with tiny waits between retries."""
    defaults = {
        "SENDGRID_API_KEY": "SG.test-key",
        "SENDGRID_HOST": host,
        "SENDGRID_TIMEOUT_SECONDS": 5,
        "OUTBOX_BACKOFF_BASE_SECONDS": 0.001,
        "OUTBOX_BACKOFF_MAX_SECONDS": 0.01,
    }
    app.config.update({**defaults, **settings})


# A lost server connection exists only on PostgreSQL: there the file runs; on SQLite it is not
# collected at all (a skip would count as a test that did not run).
if not os.environ.get("TEST_DATABASE_URL"):
    collect_ignore = ["test_connection_loss.py"]
