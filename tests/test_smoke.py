"""The site answers: home page, health check."""


def test_home_page_invites_both_sides(client):
    page = client.get("/").get_data(as_text=True)
    assert "I want to be a trustee" in page
    assert "Our charity needs a trustee" in page


def test_health_check(client):
    assert client.get("/healthz").json["status"] == "ok"


def test_pages_forbid_leaking_link_tokens_and_framing(client):
    headers = client.get("/").headers
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_master_can_compile_every_template_before_forking(app):
    """gunicorn's master compiles them all (gunicorn.conf.py): each one must compile, and
    none may be missed."""
    from pathlib import Path

    from trustee_match.templating import compile_templates

    on_disk = [p for p in (Path(__file__).parents[1] / "templates").rglob("*") if p.is_file()]
    assert compile_templates(app) == len(on_disk) > 100
