"""A live server on loopback and headless Debian Chromium, for tests a person would do by eye."""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from trustee_match.seed.demo import seed_demo

ROOT = Path(__file__).resolve().parents[2]
AXE_DIR = ROOT / "tools" / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"


@contextmanager
def _serving(server) -> Iterator[str]:
    """Serve on 127.0.0.1 from a background thread until the block ends; yields the base URL."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


class _CachedScript(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()

    def log_message(self, *_args) -> None:  # quiet: the tests' output is for failures
        pass


@pytest.fixture(scope="session")
def axe_script() -> Iterator[str]:
    """The address of axe-core's script (installed from npm on first use, `npm ci` in
    tools/axe), served on 127.0.0.1 with a cache header: Chromium then keeps it compiled
    instead of parsing its 550 KB again on every page a test checks."""
    if not AXE_JS.exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR)], check=True
        )
    handler = functools.partial(_CachedScript, directory=str(AXE_JS.parent))
    with _serving(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as base:
        yield f"{base}/{AXE_JS.name}"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM), "Debian's chromium is missing: `make test` installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app, seeded with a small demo, served on 127.0.0.1 in a background thread."""
    seed_demo(progress=lambda _: None, volunteers=20, charities=6, needs=10)
    with _serving(make_server("127.0.0.1", 0, app, threaded=True)) as base:
        yield base


class JourneySite:
    """The app served for the journeys: its address, and the app for seeding rows."""

    def __init__(self, app: Flask, base: str, wake_worker: threading.Event) -> None:
        self.app = app
        self.base = base
        self.wake_worker = wake_worker

    def email_sent(self, to: str, subject: str) -> bool:
        """Has the worker sent an email to `to` whose subject has `subject`? (Asking wakes it,
        as a person waiting for an email is when it matters that it comes at once.)"""
        self.wake_worker.set()
        from trustee_match.extensions import db
        from trustee_match.models import OutboxMessage, OutboxStatus

        with self.app.app_context():
            found = db.session.scalar(
                db.select(OutboxMessage.id).where(
                    OutboxMessage.to_email == to,
                    OutboxMessage.subject.contains(subject),
                    OutboxMessage.status == OutboxStatus.SENT,
                )
            )
            db.session.remove()
        return found is not None

    def add_staff(self, email: str) -> None:
        """A staff member whose authenticator app holds tests.conftest.STAFF_TOTP_SECRET."""
        from tests.factories import StaffFactory

        with self.app.app_context():
            StaffFactory(email=email)


# Module scope: its server and mail worker stop when the journeys end, so their queries and
# logs never reach later tests that count queries or read logs.
@pytest.fixture(scope="module")
def journey_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JourneySite]:
    """The whole app on 127.0.0.1 with its own SQLite file, a little demo data, and a worker
    that delivers queued email to the local mailbox (/dev/mailbox) as `make run` does."""
    from config import TestConfig
    from trustee_match import create_app
    from trustee_match.email.worker import backend_for, deliver_due
    from trustee_match.extensions import db
    from trustee_match.ranking.run_worker import work_on_next_run
    from trustee_match.services.taxonomy import load_taxonomy

    holder: dict[str, Flask] = {}
    # Bind first: the app's email links need the port the server got.
    server = make_server("127.0.0.1", 0, lambda env, go: holder["app"](env, go), threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path_factory.mktemp('journeys') / 'app.sqlite'}"
        SERVER_NAME = None
        SERVER_BASE_URL = base
        RUN_OUTBOX_WORKER_IN_PROCESS = False  # the loop below does it, without its 2 s naps

    app = holder["app"] = create_app(Config)
    with app.app_context():
        db.create_all()
        load_taxonomy()
        seed_demo(progress=lambda _: None, volunteers=8, charities=4, needs=6)

    stop, wake = threading.Event(), threading.Event()

    def deliver() -> None:
        # Every second, or at once when a test waits for an email: polling every 0.1 s kept
        # this process (which also serves the pages and drives the browser) busy all along.
        while not stop.is_set():
            wake.wait(1.0)
            wake.clear()
            try:
                with app.app_context():
                    deliver_due(backend_for(app))
                    work_on_next_run()
            except Exception:  # keep mail flowing; a test then finds the missing email
                logging.getLogger(__name__).exception("journey worker failed")

    threads = [
        threading.Thread(target=server.serve_forever, daemon=True),
        threading.Thread(target=deliver, daemon=True),
    ]
    for thread in threads:
        thread.start()
    try:
        yield JourneySite(app, base, wake)
    finally:
        stop.set()
        wake.set()
        server.shutdown()
        for thread in threads:
            thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()
