"""A live server on loopback and headless Debian Chromium, for tests a person would do by eye."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from trustee_match.seed.demo import seed_demo

ROOT = Path(__file__).resolve().parents[2]
AXE_DIR = ROOT / "tools" / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, installed from npm on first use (`npm ci` in tools/axe)."""
    if not AXE_JS.exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR)], check=True
        )
    return AXE_JS.read_text()


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
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
