"""What every response tells the browser: HTTPS only (in production), no framing, no plugins,
no sniffing, no referrer; and methods the site does not use are refused."""

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


def test_development_and_tests_send_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_the_content_security_policy_allows_only_this_site(client):
    policy = client.get("/account/login").headers["Content-Security-Policy"]
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
