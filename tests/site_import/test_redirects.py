"""Redirects from a force's old addresses: manage.py import_redirects, and their cost."""

from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

import pytest

pytestmark = pytest.mark.django_db

HOST = "met.localhost"


def run(path, *options):
    out = StringIO()
    call_command("import_redirects", "met", str(path), *options, stdout=out)
    return out.getvalue()


def write_csv(tmp_path, text):
    path = tmp_path / "redirects.csv"
    path.write_text(text, encoding="utf-8")
    return path


def redirect_queries(queries):
    return [query for query in queries if "wagtailredirects_redirect" in query["sql"]]


def test_a_valid_list_is_written_with_chains_collapsed(forces, tmp_path, client):
    path = write_csv(
        tmp_path,
        "old,new\n"
        "/old/contact.aspx,/contact-us/\n"
        "/old/news.aspx?id=7,/news/\n"
        "/very-old/contact.htm,/old/contact.aspx\n"
        "https://old.met.police.uk/campaigns/,https://www.gov.uk/\n",
    )

    out = run(path)

    assert "Done: 4 create, 0 update, 0 unchanged." in out
    assert "chain collapsed" in out
    site = forces["met"].site
    chained = Redirect.objects.get(site=site, old_path="/very-old/contact.htm")
    assert chained.redirect_page.url_path.endswith("/contact-us/")
    response = client.get("/very-old/contact.htm", HTTP_HOST=HOST)
    assert response.status_code == 301
    assert response["Location"].endswith("/contact-us/")
    response = client.get("/old/news.aspx?id=7", HTTP_HOST=HOST)
    assert response.status_code == 301
    assert client.get("/campaigns/", HTTP_HOST=HOST)["Location"] == "https://www.gov.uk/"
    # Only on the force's own site.
    assert client.get("/very-old/contact.htm", HTTP_HOST="hampshire.localhost").status_code == 404
    # Run again: nothing to do.
    assert "Done: 0 create, 0 update, 4 unchanged." in run(path)


def test_a_dry_run_writes_nothing(forces, tmp_path):
    path = write_csv(tmp_path, "old,new\n/old/contact.aspx,/contact-us/\n")
    out = run(path, "--dry-run")
    assert "Dry run: would 1 create" in out
    assert not Redirect.objects.filter(old_path="/old/contact.aspx").exists()


@pytest.mark.parametrize(
    ("rows", "line", "reason"),
    [
        ("/a,/b\n/b,/a\n", 3, "/a is part of a loop: /a → /b → /a"),
        ("/a,/a\n", 3, "/a would redirect to itself"),
        ("/a,/no-such-page/\n", 3, "the target /no-such-page answers 404 on the site"),
        ("/contact-us/,/news/\n", 3, "/contact-us is a page on the site"),
        ("/a,/news/\n/a,/contact-us/\n", 4, "/a is already redirected on line 3"),
        ("/a,\n", 3, "both the old address and the new one are needed"),
        (
            "/a,javascript:alert(1)\n",
            3,
            "'javascript:alert(1)' is not a path on the site or a web address",
        ),
    ],
)
def test_bad_rows_are_refused_and_nothing_is_written(forces, tmp_path, rows, line, reason):
    path = write_csv(tmp_path, "old,new\n/fine,/news/\n" + rows)
    out = StringIO()
    with pytest.raises(CommandError, match="refused: nothing was written"):
        call_command("import_redirects", "met", str(path), stdout=out)
    assert f"Refused: line {line}: {reason}" in out.getvalue()
    assert not Redirect.objects.filter(old_path="/fine").exists()


def test_a_file_without_the_columns_is_refused(forces, tmp_path):
    path = write_csv(tmp_path, "from_address;to_address\n/a;/b\n")
    with pytest.raises(CommandError, match="must name the columns"):
        run(path)
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "missing.csv")


def test_a_cached_page_costs_no_redirect_query(forces, client, settings):
    """Wagtail's RedirectMiddleware looks a redirect up only for a 404, and it sits inside the
    page cache: a page served from the cache never reaches it."""
    settings.PAGE_CACHE_ENABLED = True
    site = forces["met"].site
    page = Page.objects.get(url_path=site.root_page.url_path + "contact-us/")
    Redirect.objects.create(site=site, old_path="/contact.aspx", redirect_page=page)
    assert client.get("/contact-us/", HTTP_HOST=HOST).status_code == 200
    with CaptureQueriesContext(connection) as hit:
        response = client.get("/contact-us/", HTTP_HOST=HOST)
    assert response["X-Page-Cache"] == "hit"
    assert redirect_queries(hit.captured_queries) == []
    # An uncached page that exists: no redirect query either.
    with CaptureQueriesContext(connection) as uncached:
        assert client.get("/contact-us/?x=1", HTTP_HOST=HOST).status_code == 200
    assert redirect_queries(uncached.captured_queries) == []
    # Only a 404 asks for a redirect.
    with CaptureQueriesContext(connection) as missing:
        response = client.get("/contact.aspx", HTTP_HOST=HOST)
    assert response.status_code == 301
    assert len(redirect_queries(missing.captured_queries)) >= 1
