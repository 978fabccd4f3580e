"""import_site from a folder (a mirror of the old site) and from a WARC archive."""

import io
from io import StringIO

from django.core.management import call_command

from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from home.models import ContentPage, NewsPage

from .old_site import jpeg, page

pytestmark = pytest.mark.django_db

BASE = "https://www.fenmoor.police.uk"

# A page with no main-content landmark: left to trafilatura to tell the text from the menus.
NO_LANDMARK = """<!DOCTYPE html><html><head><title>Hate crime | Fenmoor Constabulary</title></head>
<body><table width="100%"><tr><td class="nav"><a href="/">Home</a> | <a href="/news/">News</a>
| <a href="/advice/">Advice</a> | <a href="/contact-us/">Contact</a></td></tr>
<tr><td><h1>Hate crime</h1>
<p>A hate crime is any crime that the victim or anyone else thinks was motivated by hostility
or prejudice towards their disability, race, religion, sexual orientation or transgender
identity.</p>
<p>You can report hate crime to us by calling 101, online, or through a third-party reporting
centre if you would rather not speak to the police directly.</p>
<p>Read about <a href="/advice/burglary/">burglary</a> too.</p></td></tr>
<tr><td class="footer">Copyright Fenmoor Constabulary | Cookies | Accessibility</td></tr></table>
</body></html>"""


def run(source, *options):
    out = StringIO()
    call_command("import_site", "fenmoor", str(source), "--no-progress", *options, stdout=out)
    return out.getvalue()


def rich_text(page):
    """The page's paragraphs as stored (links as Wagtail writes them, by page id)."""
    return " ".join(block.value.source for block in page.body if block.block_type == "paragraph")


def page_at(force, path):
    return Page.objects.get(url_path=force.site.root_page.url_path + path).specific


def test_a_folder_mirror_is_imported(fenmoor, tmp_path):
    folder = tmp_path / "mirror"
    (folder / "advice" / "burglary").mkdir(parents=True)
    (folder / "advice" / "hate-crime").mkdir(parents=True)
    (folder / "news").mkdir()
    (folder / "media").mkdir()
    (folder / "index.html").write_text(page("Home", "<p>Welcome to Fenmoor's website.</p>"))
    (folder / "advice" / "burglary" / "index.html").write_text(
        page(
            "Burglary",
            "<p>Lock your doors and windows, even when you are at home.</p>"
            "<img src='/media/lock.jpg' alt='A lock on a uPVC door'>",
        )
    )
    (folder / "advice" / "hate-crime" / "index.html").write_text(NO_LANDMARK)
    (folder / "news" / "arrest-made.html").write_text(
        page(
            "Arrest made after Marshby robbery",
            "<p>A 19-year-old man has been arrested on suspicion of robbery in Marshby.</p>",
            head='<meta property="og:type" content="article">',
        )
    )
    (folder / "media" / "lock.jpg").write_bytes(jpeg("#333333"))
    report = tmp_path / "report.csv"

    run(folder, "--base-url", BASE, "--report", str(report), "--publish")

    burglary = page_at(fenmoor, "advice/burglary/")
    assert isinstance(burglary, ContentPage)
    assert burglary.body[1].block_type == "image"
    assert burglary.body[1].value["alt_text"] == "A lock on a uPVC door"
    assert get_image_model().objects.filter(collection=fenmoor.collection).count() == 1
    hate_crime = page_at(fenmoor, "advice/hate-crime/")
    text = rich_text(hate_crime)
    assert "third-party reporting" in text
    assert "Copyright" not in text and "Cookies" not in text
    assert f'linktype="page" id="{burglary.pk}"' in text
    assert isinstance(page_at(fenmoor, "news/arrest-made/"), NewsPage)
    assert Redirect.objects.get(site=fenmoor.site, old_path="/news/arrest-made.html")


def _record(writer, url, body=b"", status="200 OK", headers=()):
    http_headers = StatusAndHeaders(status, list(headers), protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http_headers
        )
    )


def test_a_warc_archive_is_imported(fenmoor, tmp_path):
    archive = tmp_path / "fenmoor.warc.gz"
    html = [("Content-Type", "text/html; charset=utf-8")]
    with archive.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        _record(
            writer,
            f"{BASE}/advice/cycle-theft/",
            page(
                "Cycle theft", "<p>Use two good locks and register your bike's frame.</p>"
            ).encode(),
            headers=html,
        )
        _record(
            writer,
            f"{BASE}/advice/bikes.aspx",
            status="301 Moved Permanently",
            headers=[("Location", f"{BASE}/advice/cycle-theft/")],
        )
        _record(
            writer,
            f"{BASE}/advice/online-fraud/",
            page(
                "Online fraud",
                "<p>Never give your bank details to someone who calls you out of the blue.</p>"
                "<p>See <a href='/advice/bikes.aspx'>cycle theft</a>.</p>",
            ).encode(),
            headers=html,
        )
    report = tmp_path / "report.csv"

    run(archive, "--report", str(report), "--publish")

    cycle = page_at(fenmoor, "advice/cycle-theft/")
    fraud = page_at(fenmoor, "advice/online-fraud/")
    assert f'linktype="page" id="{cycle.pk}"' in rich_text(fraud)
    redirect = Redirect.objects.get(site=fenmoor.site, old_path="/advice/bikes.aspx")
    assert redirect.redirect_page_id == cycle.pk
    text = report.read_text()
    assert "redirected on the old site" in text
    assert "/contact-us,failed,,,not in the archive" in text  # linked from the menu only
