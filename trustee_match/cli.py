"""Flask commands: `flask seed`, `flask taxonomy`, `flask users`, `flask outbox`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from .extensions import db

seed_cli = AppGroup("seed", help="Fill the database with demo data.")
taxonomy_cli = AppGroup("taxonomy", help="The skills and causes vocabularies.")
users_cli = AppGroup("users", help="Manage accounts.")
outbox_cli = AppGroup("outbox", help="Deliver queued emails.")
matches_cli = AppGroup("matches", help="Time-driven steps of matches.")


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
def seed_demo_command(force: bool, skip_if_seeded: bool) -> None:
    """Fill an empty database with believable demo data and print the demo logins."""
    from .seed.demo import is_empty_database, seed_demo

    if not is_empty_database() and not force:
        if skip_if_seeded:
            click.echo("The database already has data; not seeding demo data again.")
            return
        raise click.ClickException(
            "The database is not empty. Run with --force to add demo data anyway."
        )
    try:
        logins = seed_demo(progress=click.echo)
    except RuntimeError as error:  # the demo logins exist already
        raise click.ClickException(str(error)) from None
    from .services.accounts import find_user_by_email
    from .services.ranking import propose_with_ranker

    report = propose_with_ranker(find_user_by_email(logins.staff_email), k=3)
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


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Deliver what is due, then exit.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between polls.")
def outbox_work(once: bool, interval: float) -> None:
    """Deliver queued emails until stopped (run several on PostgreSQL for more throughput)."""
    import time

    from flask import current_app

    from .email.worker import DeliveryCounts, backend_for, deliver_due

    backend = backend_for(current_app)
    total = DeliveryCounts()
    while True:
        counts = deliver_due(backend)
        total.sent += counts.sent
        total.retrying += counts.retrying
        total.failed += counts.failed
        if counts.claimed:
            continue  # more may be due: poll again at once
        if once:
            click.echo(
                f"Delivered {total.sent} emails via {backend.name}; "
                f"{total.retrying} to retry later, {total.failed} failed."
            )
            return
        time.sleep(interval)


@matches_cli.command("tick")
def matches_tick() -> None:
    """Send due reminders, expire lapsed matches, ask for outcomes. Run it from cron."""
    from .services.match_schedule import process_due_matches

    report = process_due_matches()
    click.echo(
        f"Reminded {report.reminded}, expired {report.expired}, "
        f"asked for the outcome of {report.outcome_asked} matches."
    )


@matches_cli.command("propose")
@click.option("--k", default=5, show_default=True, help="Proposals per open need.")
@click.option("--cap", default=3, show_default=True, help="Most needs one volunteer is put to.")
@click.option("--as", "staff_email", required=True, help="The staff account acting.")
def matches_propose(k: int, cap: int, staff_email: str) -> None:
    """Ask the ranker for proposals for every open need (staff review them before anything)."""
    from .services.accounts import find_user_by_email
    from .services.errors import ServiceError
    from .services.ranking import propose_with_ranker

    actor = find_user_by_email(staff_email)
    if actor is None:
        raise click.ClickException(f"No account uses {staff_email}.")
    try:
        report = propose_with_ranker(actor, k=k, cap=cap)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"{report.proposed} proposals for {report.needs} open needs from "
        f"{report.volunteers} volunteers (the cap cost {report.cost_fraction:.1%} of total score)."
    )


@matches_cli.command("learn")
@click.option("--as", "staff_email", required=True, help="The staff account acting.")
def matches_learn(staff_email: str) -> None:
    """Re-weight the ranker's signals from staff and side decisions (a new version)."""
    from .services.accounts import find_user_by_email
    from .services.errors import ServiceError
    from .services.ranker_learning import learn_ranker_weights

    actor = find_user_by_email(staff_email)
    if actor is None:
        raise click.ClickException(f"No account uses {staff_email}.")
    try:
        row = learn_ranker_weights(actor)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    if row.fallback:
        click.echo(f"{row.n_labels} decisions: too few to learn from; default weights kept.")
    else:
        click.echo(
            f"Version {row.id} from {row.n_labels} decisions: held-out AUC {row.cv_auc} "
            f"(default weights {row.default_cv_auc})."
        )


def install(app: Flask) -> None:
    for group in (seed_cli, taxonomy_cli, users_cli, outbox_cli, matches_cli):
        app.cli.add_command(group)

    @app.shell_context_processor
    def shell_context() -> dict:
        from . import models

        return {"db": db, "models": models}
