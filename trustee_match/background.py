"""Development only: deliver queued email and run the match schedule without extra commands.

In production these are separate processes (`flask outbox work`, and `flask matches tick` from
cron); `make run` has one process, so a daemon thread does both.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

log = logging.getLogger(__name__)

SCHEDULE_EVERY_SECONDS = 60.0


def start_dev_background(app: Flask, interval: float = 2.0) -> threading.Thread:
    """Deliver due email every `interval` seconds, and tick matches every minute."""
    from .email.worker import backend_for, deliver_due
    from .matches.schedule import process_due_matches

    def loop() -> None:
        last_tick = 0.0
        while True:
            try:
                with app.app_context():
                    deliver_due(backend_for(app))
                    if time.monotonic() - last_tick >= SCHEDULE_EVERY_SECONDS:
                        process_due_matches()
                        last_tick = time.monotonic()
            except Exception:  # keep the dev server's mail flowing whatever one round did
                log.exception("development background work failed")
            time.sleep(interval)

    thread = threading.Thread(target=loop, name="dev-background", daemon=True)
    thread.start()
    return thread
