"""TrusteeMatch: a marketplace matching digital trustees with charities."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from config import Config, ProductionConfig, config_from_env

from .extensions import csrf, db, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type[Config] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI and error pages."""
    config = config or config_from_env()
    if issubclass(config, ProductionConfig):
        config.validate()
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    app.config.from_object(config)
    Path(app.instance_path).mkdir(exist_ok=True)
    if not app.testing:
        from .logs import configure_logging

        configure_logging()
    register_proxy(app)
    register_extensions(app)
    register_request_guard(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_error_pages(app)
    register_security_headers(app)
    register_cli(app)
    register_background_worker(app)
    return app


def register_proxy(app: Flask) -> None:
    """Behind a proxy the peer is the proxy: take the client's address from X-Forwarded-For
    and the scheme from X-Forwarded-Proto, trusting only as many hops as we have proxies (so
    rate limits count real clients, and a page knows it was asked for over HTTPS)."""
    hops = app.config.get("PROXY_FIX_X_FOR", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401 - registers the tables before Migrate looks at them
    from .auth.session import configure_login
    from .auth.session import install as install_session_limits

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    configure_login(login_manager)
    install_session_limits(app)


def register_request_guard(app: Flask) -> None:
    from .request_guard import install

    install(app)


def register_blueprints(app: Flask) -> None:
    from .auth.views import bp as auth_bp
    from .charity import bp as charity_bp
    from .dev.views import bp as dev_bp
    from .health import bp as health_bp
    from .links.views import bp as links_bp
    from .public.views import bp as public_bp
    from .respond.views import bp as respond_bp
    from .staff import bp as staff_bp
    from .volunteer.views import bp as volunteer_bp
    from .webhooks.views import bp as webhooks_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(auth_bp, url_prefix="/account")
    app.register_blueprint(volunteer_bp, url_prefix="/volunteer")
    app.register_blueprint(charity_bp, url_prefix="/charity")
    app.register_blueprint(staff_bp, url_prefix="/staff")
    app.register_blueprint(respond_bp, url_prefix="/respond")
    app.register_blueprint(links_bp, url_prefix="/links")
    app.register_blueprint(csrf.exempt(webhooks_bp), url_prefix="/webhooks")
    if app.config["DEV_MAILBOX"]:
        app.register_blueprint(dev_bp, url_prefix="/dev")


def register_template_helpers(app: Flask) -> None:
    from .templating import install

    install(app)


def register_error_pages(app: Flask) -> None:
    from .errors import install

    install(app)


def register_security_headers(app: Flask) -> None:
    from .security_headers import install

    install(app)


def register_cli(app: Flask) -> None:
    from .cli import install

    install(app)


def register_background_worker(app: Flask) -> None:
    """In development, deliver queued emails to the local mailbox without an extra command."""
    if app.config.get("RUN_OUTBOX_WORKER_IN_PROCESS"):
        from .background import start_dev_background

        start_dev_background(app)
