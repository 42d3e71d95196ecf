"""Development only: deliver queued email, run the schedule and do ranker runs without extra
commands.

In production these are separate processes (`flask outbox work`, `flask matches work`, and
`flask matches tick` from cron); `make run` has one process, so a daemon thread does all three.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

log = logging.getLogger(__name__)

SCHEDULE_EVERY_SECONDS = 60.0


def start_dev_background(app: Flask, interval: float = 2.0) -> threading.Thread:
    """Every `interval` seconds deliver due email and do a queued ranker run; tick every minute."""
    from .email.worker import backend_for, deliver_due
    from .matches.schedule import run_schedule
    from .ranking.embeddings import sweeper
    from .ranking.run_worker import work_on_next_run

    def loop() -> None:
        last_tick = 0.0
        unrecorded: list = []  # results a lost database connection kept from being written
        while True:
            try:
                with app.app_context():
                    deliver_due(backend_for(app), unrecorded=unrecorded)
                    if time.monotonic() - last_tick >= SCHEDULE_EVERY_SECONDS:
                        run_schedule()
                        last_tick = time.monotonic()
                    if work_on_next_run() is None:
                        sweeper().step()
            except Exception:  # keep the dev server's mail flowing whatever one round did
                log.exception("development background work failed")
            time.sleep(interval)

    thread = threading.Thread(target=loop, name="dev-background", daemon=True)
    thread.start()
    return thread
