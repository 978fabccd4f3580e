"""Per-site services: sitemap, robots.txt, the API, cookies, error pages and the health check."""

import json
from urllib.parse import quote, unquote

from django.test import override_settings

import pytest

from tests.factories import ContentPageFactory, make_document, make_image

pytestmark = pytest.mark.django_db


def advice(force):
    return force.site.root_page.get_children().get(slug="advice")


def test_sitemap_lists_only_the_sites_own_pages(forces, host_client):
    ContentPageFactory(parent=advice(forces["met"]), slug="met-only")
    ContentPageFactory(parent=advice(forces["thames-valley"]), slug="tvp-only")
    met = host_client.get("met.localhost", "/sitemap.xml").content.decode()
    assert "<loc>http://met.localhost/advice/met-only/</loc>" in met
    assert "tvp-only" not in met and "thames-valley" not in met
    tvp = host_client.get("thames-valley.localhost", "/sitemap.xml").content.decode()
    assert "tvp-only" in tvp and "met-only" not in tvp


def test_robots_txt_points_at_the_sites_own_sitemap(forces, host_client):
    response = host_client.get("hampshire.localhost", "/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://hampshire.localhost/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def test_api_pages_are_scoped_to_the_site(forces, host_client):
    ContentPageFactory(parent=advice(forces["met"]), title="Met advice only", slug="m")
    ContentPageFactory(parent=advice(forces["thames-valley"]), title="TVP advice only", slug="t")
    met = host_client.get("met.localhost", "/api/v2/pages/?limit=50").json()
    titles = {item["title"] for item in met["items"]}
    assert "Met advice only" in titles and "TVP advice only" not in titles
    assert "Thames Valley Police" not in titles


def test_api_media_are_scoped_to_the_sites_force(forces, host_client):
    make_image(forces["met"].collection, "Met image")
    make_image(forces["thames-valley"].collection, "TVP image")
    make_document(forces["thames-valley"].collection, "TVP document")
    images = host_client.get("met.localhost", "/api/v2/images/").json()
    assert {item["title"] for item in images["items"]} == {"Met image"}
    documents = host_client.get("met.localhost", "/api/v2/documents/").json()
    assert documents["items"] == []


def test_pages_set_no_cookie_before_consent(forces, host_client):
    for path in ("/", "/contact-us/", "/cookies/", "/advice/"):
        response = host_client.get("met.localhost", path)
        assert response.cookies == {}, f"{path} set {list(response.cookies)}"
        assert "data-cookie-banner" in response.content.decode()


def test_cookie_banner_without_javascript_saves_the_choice(forces, client):
    response = client.post(
        "/cookies/", {"analytics": "no", "next": "/contact-us/"}, HTTP_HOST="met.localhost"
    )
    assert response.status_code == 302
    assert response["Location"] == "/contact-us/?cookies=saved"
    policy = json.loads(unquote(response.cookies["cookies_policy"].value))
    assert policy == {"essential": True, "analytics": False}
    page = client.get("/contact-us/", HTTP_HOST="met.localhost").content.decode()
    assert "data-cookie-banner" not in page


def test_cookie_settings_page_shows_and_changes_the_choice(forces, client):
    client.cookies["cookies_policy"] = quote(json.dumps({"essential": True, "analytics": True}))
    html = client.get("/cookies/", HTTP_HOST="met.localhost").content.decode()
    assert 'value="yes" checked' in html
    saved = client.post("/cookies/", {"analytics": "no"}, HTTP_HOST="met.localhost", follow=True)
    assert "You’ve set your cookie preferences." in saved.content.decode()
    assert 'value="no" checked' in saved.content.decode()


def test_cookie_settings_without_a_choice_says_what_is_wrong(forces, client):
    response = client.post("/cookies/", {}, HTTP_HOST="met.localhost")
    assert response.status_code == 400
    assert "Select whether you accept analytics cookies." in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()


def test_cookie_redirect_never_leaves_the_site(forces, client):
    response = client.post(
        "/cookies/",
        {"analytics": "yes", "next": "https://evil.example/"},
        HTTP_HOST="met.localhost",
    )
    assert response["Location"] == "/cookies/?cookies=saved"


def test_cookie_policy_garbage_is_ignored(forces, client):
    client.cookies["cookies_policy"] = "not json"
    response = client.get("/cookies/", HTTP_HOST="met.localhost")
    assert response.status_code == 200
    html = response.content.decode()
    # Read as no choice made: neither answer is given for the visitor.
    assert 'value="yes" checked' not in html
    assert 'value="no" checked' not in html


def test_404_is_themed_for_the_force(forces, host_client):
    response = host_client.get("thames-valley.localhost", "/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert "Thames Valley Police" in html
    assert f"--govuk-brand-colour:{forces['thames-valley'].primary_colour}" in html


@override_settings(DEBUG=False)
def test_500_is_themed_and_says_how_to_report_urgently(forces, client, monkeypatch):
    from home.models import ContactPage

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(ContactPage, "get_context", broken)
    client.raise_request_exception = False
    response = client.get("/contact-us/", HTTP_HOST="hampshire.localhost")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "Hampshire and Isle of Wight Constabulary" in html
    assert "call 999" in html


def test_healthz(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_security_headers(forces, host_client):
    response = host_client.get("met.localhost")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
