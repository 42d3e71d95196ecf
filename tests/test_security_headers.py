"""What every response tells the browser: HTTPS only (in production), no framing, no plugins,
no sniffing, no referrer; methods the site does not use are refused; an unexpected error shows
nothing of itself."""

from __future__ import annotations

import pytest
from flask import Flask

from config import ProductionConfig
from trustee_match import create_app


@pytest.fixture
def production_app(monkeypatch, config_class) -> Flask:
    monkeypatch.setenv("SECRET_KEY", "production-like-secret")
    monkeypatch.setenv("DATABASE_URL", "postgresql://unused@localhost/unused")

    class Production(ProductionConfig):
        SQLALCHEMY_DATABASE_URI = config_class.SQLALCHEMY_DATABASE_URI
        RATELIMIT_ENABLED = False

    return create_app(Production)


def test_production_insists_on_https_for_a_year_subdomains_too(app, production_app):
    headers = production_app.test_client().get("/", base_url="https://localhost").headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert production_app.debug is False


def test_pages_say_they_are_utf8_html(client):
    assert client.get("/").headers["Content-Type"] == "text/html; charset=utf-8"


def test_development_and_tests_send_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_the_content_security_policy_allows_only_this_site(client):
    headers = client.get("/account/login", headers={"Origin": "https://evil.example"}).headers
    assert "Access-Control-Allow-Origin" not in headers  # no CORS: other sites read nothing
    policy = headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE"])
def test_methods_the_site_does_not_use_are_refused(client, method):
    assert client.open("/account/login", method=method).status_code == 405


def test_an_unexpected_error_shows_a_plain_page_and_is_logged_not_shown(config_class, caplog):
    config = type("Live", (config_class,), {"TESTING": False, "PROPAGATE_EXCEPTIONS": False})
    app = create_app(config)

    def broken() -> str:
        raise RuntimeError("database password is hunter2")

    app.add_url_rule("/broken", view_func=broken)
    response = app.test_client().get("/broken")

    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "something went wrong on our side" in page
    assert "hunter2" not in page and "Traceback" not in page
    assert "hunter2" in caplog.text  # the log keeps what the page hides
