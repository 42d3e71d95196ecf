"""Ranker runs: the staff button queues a run, a worker process does it, staff see how it went;
one run at a time, and a run survives its worker dying."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from flask import Flask

from trustee_match import create_app
from trustee_match.extensions import db
from trustee_match.models import ChangeKind, Match, MatchState, RankerChange, RankerRun, RunState
from trustee_match.models.base import utcnow
from trustee_match.ranking import run_worker
from trustee_match.ranking.changes import record_change
from trustee_match.ranking.run_worker import (
    MAX_ATTEMPTS,
    claim_next_run,
    execute_run,
    work_on_next_run,
)
from trustee_match.ranking.runs import RunAlreadyActive, ask_for_run
from trustee_match.services.errors import NotAllowed

from .conftest import login, post_form
from .factories import CharityFactory, NeedFactory, StaffFactory, VolunteerFactory, give_skills


@pytest.fixture
def pool(app: Flask) -> dict:
    """Two open roles and four volunteers who could fill them."""
    volunteers = []
    for n in range(4):
        volunteer = VolunteerFactory(email=f"vol{n}@example.org")
        give_skills(volunteer.volunteer_profile, "cybersecurity", "data-protection")
        volunteers.append(volunteer)
    charity = CharityFactory()
    needs = [
        NeedFactory(charity=charity, title="Trustee for cyber risk"),
        NeedFactory(charity=charity, title="Trustee for data protection"),
    ]
    return {"volunteers": volunteers, "needs": needs, "staff": StaffFactory()}


@pytest.fixture
def other_worker(config_class):
    """A second app on the same database, standing in for another worker process:
    `other_worker(fn)` runs fn in its app context."""
    other = create_app(config_class)

    def ask(fn):
        with other.app_context():
            try:
                return fn()
            finally:
                db.session.remove()

    return ask


def _ask(client) -> str:
    response = post_form(
        client, "/staff/matches/rank", {}, form_path="/staff/matches", follow_redirects=True
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _page(client) -> str:
    return client.get("/staff/matches").get_data(as_text=True)


def _runs() -> list[RankerRun]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(RankerRun).order_by(RankerRun.id)))


def _proposals() -> int:
    return db.session.scalar(
        db.select(db.func.count()).select_from(Match).where(Match.state == MatchState.PROPOSED)
    )


def test_the_button_queues_a_run_and_the_page_shows_it_queued_running_and_done(client, pool):
    login(client, pool["staff"].email)
    page = _ask(client)
    assert "The ranker run is queued" in page
    assert "Queued" in page and f"by {pool['staff'].email}" in page
    assert "Refresh to follow it" in page
    assert _proposals() == 0  # nothing was ranked inside the web request

    claim = claim_next_run()  # a worker picks it up
    page = _page(client)
    assert "Running since" in page and "Starting" in page
    execute_run(claim)
    page = _page(client)
    assert "Finished" in page
    assert "8 new, 0 kept, 0 replaced, 0 withdrawn for roles no longer open" in page
    assert "2 open roles ranked against 4 volunteers" in page
    assert "Refresh to follow it" not in page
    assert _proposals() == 8


def test_a_second_ask_while_one_is_queued_or_running_queues_nothing(client, pool):
    login(client, pool["staff"].email)
    _ask(client)
    page = _ask(client)
    assert "A ranker run is already queued, so no second one was added" in page
    assert len(_runs()) == 1

    claim_next_run()
    with pytest.raises(RunAlreadyActive, match="already working on a run"):
        ask_for_run(pool["staff"])
    assert [run.state for run in _runs()] == [RunState.RUNNING]


def test_only_staff_may_queue_a_run(pool):
    with pytest.raises(NotAllowed):
        ask_for_run(pool["volunteers"][0])
    assert _runs() == []


def test_a_worker_claims_and_completes_a_run_with_its_figures(pool):
    queued = ask_for_run(pool["staff"], k=1)
    run = work_on_next_run()
    assert run.id == queued.id and run.state == RunState.DONE
    assert run.started_at <= run.finished_at and run.attempts == 1 and run.error is None
    assert run.figures["new"] == 2 and run.figures["needs"] == 2
    assert run.figures["volunteers"] == 4
    assert _proposals() == 2
    assert work_on_next_run() is None  # nothing left to do
    assert ask_for_run(pool["staff"]).state == RunState.QUEUED  # the slot is free again


def test_the_work_command_does_queued_runs_and_says_what_changed(app, pool):
    ask_for_run(pool["staff"])
    result = app.test_cli_runner().invoke(args=["matches", "work", "--once"])
    assert result.exit_code == 0, result.output
    assert "Saving proposals: 2 of 2 roles" in result.output
    assert "done: 8 new, 0 kept, 0 replaced, 0 withdrawn for roles no longer open" in result.output
    assert "No ranker run is waiting." in result.output


def test_a_run_whose_worker_died_is_claimed_and_finished_by_another(app, pool, other_worker):
    run_id = ask_for_run(pool["staff"]).id
    dead = claim_next_run()  # this worker claims the run, then dies before doing it
    assert dead.attempt == 1
    assert other_worker(claim_next_run) is None  # the lease still holds

    db.session.execute(
        db.update(RankerRun)
        .where(RankerRun.id == run_id)
        .values(claimed_until=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()

    def take_over_and_finish():
        claim = claim_next_run()
        assert claim is not None and claim.attempt == 2
        execute_run(claim)
        return claim

    other_worker(take_over_and_finish)
    run = _runs()[0]
    assert run.state == RunState.DONE and run.figures["new"] == 8

    # The first worker wakes up: it no longer owns the run, so it changes nothing.
    execute_run(dead)
    run = _runs()[0]
    assert run.state == RunState.DONE and run.attempts == 2 and run.figures["new"] == 8
    assert _proposals() == 8


def test_a_run_that_keeps_stopping_its_worker_is_failed_in_plain_words(pool):
    run_id = ask_for_run(pool["staff"]).id
    for _ in range(MAX_ATTEMPTS):
        assert claim_next_run() is not None  # each worker dies at once
        db.session.execute(
            db.update(RankerRun)
            .where(RankerRun.id == run_id)
            .values(claimed_until=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    assert claim_next_run() is None
    run = _runs()[0]
    assert run.state == RunState.FAILED
    assert f"stopped {MAX_ATTEMPTS} times before finishing" in run.error
    assert ask_for_run(pool["staff"]).state == RunState.QUEUED


def test_a_failing_run_is_marked_failed_with_its_error_and_the_next_one_still_runs(
    client, pool, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("the skills table is missing")

    monkeypatch.setattr(run_worker, "propose_with_ranker", broken)
    ask_for_run(pool["staff"])
    run = work_on_next_run()
    assert run.state == RunState.FAILED and run.figures is None
    assert "unexpected error: the skills table is missing" in run.error
    login(client, pool["staff"].email)
    page = _page(client)
    assert "Failed" in page and "the skills table is missing" in page
    assert "ask again to finish" in page

    monkeypatch.undo()
    assert "The ranker run is queued" in _ask(client)
    assert work_on_next_run().state == RunState.DONE
    assert "8 new, 0 kept" in _page(client)


def test_the_lease_is_renewed_while_a_long_run_works(app, pool, other_worker, monkeypatch):
    app.config["RANKER_RUN_LEASE_SECONDS"] = 2
    seen_by_other_worker = []

    def slow(*args, **kwargs):
        time.sleep(3)  # longer than the lease, silent, like a big batch
        seen_by_other_worker.append(other_worker(claim_next_run))
        raise RuntimeError("stop here")

    monkeypatch.setattr(run_worker, "propose_with_ranker", slow)
    ask_for_run(pool["staff"])
    work_on_next_run()
    assert seen_by_other_worker == [None]  # the heartbeat kept the run this worker's


def test_the_tick_queues_a_run_for_a_new_need_and_prunes_old_changes(app, pool):
    cli = app.test_cli_runner()
    first = cli.invoke(args=["matches", "tick"])
    assert first.exit_code == 0, first.output
    assert "Queued a ranker run for 2 new roles" in first.output  # nobody proposed yet
    assert work_on_next_run().figures["new"] == 8
    assert "Queued a ranker run" not in cli.invoke(args=["matches", "tick"]).output

    new = NeedFactory(charity=pool["needs"][0].charity, title="Trustee for our website")
    record_change(ChangeKind.NEED, new.id)  # as publishing it does
    old = RankerChange(kind=ChangeKind.NEED, object_id=new.id)
    old.created_at = utcnow() - timedelta(days=2)
    db.session.add(old)
    db.session.commit()
    result = cli.invoke(args=["matches", "tick"])
    assert "Queued a ranker run for 1 new roles" in result.output
    assert "Pruned 1 old ranker changes" in result.output
    run = work_on_next_run()
    assert run.need_ids == [new.id] and run.requested_by is None
    assert run.figures["needs"] == 1 and run.figures["new"] == 4
    assert {m.need_id for m in db.session.scalars(db.select(Match))} == {
        pool["needs"][0].id,
        pool["needs"][1].id,
        new.id,
    }
    assert "Queued a ranker run" not in cli.invoke(args=["matches", "tick"]).output


def test_a_stopped_worker_puts_its_run_back_in_the_queue(pool, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(run_worker, "propose_with_ranker", interrupted)
    ask_for_run(pool["staff"])
    with pytest.raises(KeyboardInterrupt):
        work_on_next_run()
    run = _runs()[0]
    assert run.state == RunState.QUEUED and "last one was stopped" in run.progress
    monkeypatch.undo()
    assert work_on_next_run().state == RunState.DONE  # no need to wait for the lease


def test_a_worker_process_stopped_with_sigterm_requeues_its_run_and_the_next_one_does_it(
    app, pool, monkeypatch
):
    import os
    import signal

    def stopped_by_a_deploy(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)  # what systemd or the platform sends
        raise AssertionError("SIGTERM did not stop the worker")

    monkeypatch.setattr(run_worker, "propose_with_ranker", stopped_by_a_deploy)
    ask_for_run(pool["staff"])
    before = signal.getsignal(signal.SIGTERM)
    stopped = app.test_cli_runner().invoke(args=["matches", "work", "--once"])
    # A stop is normal for a worker: a plain word and success, not click's "Aborted!".
    assert stopped.exit_code == 0 and "Aborted!" not in stopped.output
    assert "Stopped: a run in hand went back in the queue." in stopped.output
    assert signal.getsignal(signal.SIGTERM) is before  # the command put the handler back
    run = _runs()[0]
    assert run.state == RunState.QUEUED and "last one was stopped" in run.progress
    monkeypatch.undo()
    restarted = app.test_cli_runner().invoke(args=["matches", "work", "--once"])
    assert restarted.exit_code == 0, restarted.output
    assert f"Ranker run {run.id} done" in restarted.output


def test_the_propose_command_refuses_nonsense_and_a_second_run(app, pool):
    cli = app.test_cli_runner()
    bad = cli.invoke(args=["matches", "propose", "--as", pool["staff"].email, "--k", "0"])
    assert bad.exit_code != 0 and "--k" in bad.output
    nobody = cli.invoke(args=["matches", "propose", "--as", "nobody@example.org"])
    assert nobody.exit_code != 0 and "No account uses nobody@example.org" in nobody.output
    ask_for_run(pool["staff"])
    busy = cli.invoke(args=["matches", "propose", "--as", pool["staff"].email])
    assert busy.exit_code != 0 and "already queued" in busy.output
    assert len(_runs()) == 1 and _proposals() == 0
