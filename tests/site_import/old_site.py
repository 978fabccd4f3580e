# ruff: noqa: E501 (the old site's HTML, kept readable as it would be in a CMS)
"""Fenmoor Constabulary's old website: a made-up force's site in the style of the police CMSs
forces leave behind (ASP.NET-era addresses, news by date, a mega-menu, share buttons, inline
styles and layout tables), generated here rather than kept as 50 files, and served over HTTP
on the loopback interface by ``OldSite`` for the import tests.

It holds on purpose what real old sites hold: broken links, a page that times out, a server
error, a page too large to import, malformed HTML, a non-HTML response, duplicate addresses
with query strings, a redirect chain, images (one missing, one not really an image), documents
(one that is a web page named .pdf), a robots.txt and a sitemap that lists most pages only.
"""

import io
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from PIL import Image

FORCE = "Fenmoor Constabulary"
OLD_HOST_ALIAS = "www.fenmoor.police.uk"


def jpeg(colour, size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def png(colour, size=(32, 32)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def pdf(text):
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% " + text.encode() + b"\n%%EOF\n"
    )


MENU = """
<nav class="mega-menu" id="mainNav"><ul>
<li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/appeals">Appeals</a></li>
<li><a href="/advice/">Advice</a></li><li><a href="/your-area/">Your area</a></li>
<li><a href="/about-us/">About us</a></li><li><a href="/contact-us/">Contact us</a></li>
<li><a href="/search?q=">Search</a></li><li><a href="/admin/login.aspx">Staff login</a></li>
</ul></nav>"""

FOOTER = """
<footer id="footer"><div class="footer-links"><a href="/accessibility">Accessibility</a> |
<a href="/cookies">Cookies</a> | <a href="/feeds/news.rss">RSS</a> |
<a href="https://www.facebook.com/fenmoorpolice">Facebook</a></div>
<p>&copy; Fenmoor Constabulary 2024. Police Headquarters, Fen Road, Marshby FM1 2AB.</p></footer>"""


def page(title, body, *, head="", breadcrumb=""):
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>{title} | {FORCE}</title>
<meta name="viewport" content="width=device-width">
{head}
<link rel="stylesheet" href="/css/site.css"><script src="/js/jquery-1.8.2.min.js"></script>
</head><body class="cms-page">
<div id="skip"><a href="#content">Skip to content</a></div>
<header><a href="/"><img src="/media/images/logo.png" alt="Fenmoor Constabulary home"></a>{MENU}</header>
<div class="breadcrumb">{breadcrumb}</div>
<div id="content" class="main-content"><h1>{title}</h1>
{body}
<div class="share-links">Share this page: <a href="https://twitter.com/intent/tweet">Twitter</a></div>
</div>{FOOTER}</body></html>"""


NEWS = [
    (
        "2024/03/12",
        "man-charged-after-marshby-burglaries",
        "Man charged after Marshby burglaries",
        "A 34-year-old man has been charged with four burglaries at homes in Marshby between "
        "January and March.",
        "burglary-scene",
    ),
    (
        "2024/03/08",
        "drivers-warned-after-rise-in-catalytic-converter-thefts",
        "Drivers warned after rise in catalytic converter thefts",
        "Officers are urging owners of hybrid vehicles to mark their catalytic converters after "
        "eleven thefts in Fenmoor this month.",
        None,
    ),
    (
        "2024/02/27",
        "new-neighbourhood-team-for-wisbech-road",
        "New neighbourhood team for Wisbech Road",
        "Six officers and two police community support officers now patrol the Wisbech Road "
        "area, following feedback from residents at last year's community meetings.",
        "team-photo",
    ),
    (
        "2024/02/19",
        "county-lines-dealer-jailed",
        "County lines dealer jailed for six years",
        "A 22-year-old man who ran a drugs line from London into Marshby has been jailed at "
        "Fenmoor Crown Court.",
        None,
    ),
    (
        "2024/02/02",
        "fraudsters-posing-as-police-officers",
        "Fraudsters posing as police officers",
        "We have received reports of people being called by fraudsters claiming to be police "
        "officers and asking them to withdraw cash.",
        None,
    ),
    (
        "2024/01/22",
        "speed-checks-on-the-a47",
        "Speed checks on the A47 after community concerns",
        "Roads policing officers caught 63 drivers speeding in a single day on the A47.",
        None,
    ),
    (
        "2024/01/15",
        "chief-constable-welcomes-new-recruits",
        "Chief Constable welcomes 40 new recruits",
        "Forty new student officers have begun their training at force headquarters.",
        "recruits",
    ),
    (
        "2023/12/18",
        "christmas-drink-drive-campaign",
        "Christmas drink and drug drive campaign begins",
        "Officers will be carrying out roadside checks across Fenmoor throughout December.",
        None,
    ),
    (
        "2023/12/04",
        "shoplifting-arrests-in-marshby-town-centre",
        "Shoplifting arrests in Marshby town centre",
        "Five people were arrested during a day of action with town centre businesses.",
        None,
    ),
    (
        "2023/11/20",
        "knife-amnesty-bins-collect-300-blades",
        "Knife amnesty bins collect 300 blades",
        "More than 300 knives were handed in during Operation Sceptre week.",
        None,
    ),
]

APPEALS = [
    (
        "witness-appeal-after-collision-on-the-a47",
        "Appeal for witnesses after collision on the A47",
        "We are appealing for witnesses after a collision between a lorry and a car on the A47 near "
        "Thorney at about 7.15am on Tuesday 5 March.",
        "24000012",
    ),
    (
        "appeal-after-cash-machine-theft-in-chatteris",
        "Appeal after cash machine theft in Chatteris",
        "Police are appealing for information after a cash machine was ripped from the wall of a "
        "shop in the High Street overnight.",
        "24000187",
    ),
    (
        "missing-woman-from-march-found",
        "Appeal: do you recognise this man?",
        "Officers investigating an assault outside a pub in Station Road want to speak to this "
        "man, who may have information.",
        "24000233",
    ),
    (
        "appeal-following-dog-attack-on-sheep",
        "Appeal following dog attack on sheep near Whittlesey",
        "Fourteen sheep were killed or injured when a dog got into a field off Eastrea Road.",
        "24000301",
    ),
]

ADVICE = {
    "advice/crime-prevention/burglary": (
        "Burglary prevention",
        "<p>Most burglaries are opportunist. Make your home look occupied and hard to get into.</p>"
        "<h2>Doors and windows</h2><ul><li>Fit locks to <strong>all</strong> windows.</li>"
        "<li>Use a <a href='/advice/crime-prevention/vehicle-crime/'>timer switch</a> for lights.</li></ul>"
        "<p>Read our <a href='/media/documents/home-security-leaflet.pdf'>home security leaflet (PDF)</a>.</p>"
        "<img src='/media/images/door-lock.jpg' alt='A five-lever mortice lock on a front door'>",
    ),
    "advice/crime-prevention/vehicle-crime": (
        "Vehicle crime",
        "<p>Never leave valuables on show in your car, even for a few minutes.</p>"
        "<p>Keyless cars can be stolen by relaying the key's signal: keep keys in a signal-blocking pouch.</p>"
        "<p>See also <a href='/advice/crime-prevention/burglary/?utm_source=facebook&amp;utm_medium=social'>burglary prevention</a>.</p>",
    ),
    "advice/crime-prevention/cycle-theft": (
        "Cycle theft",
        "<p>Lock your bike with two good locks to something fixed, and register its frame number.</p>"
        "<p>Our old page on <a href='/advice/bike-marking-events/'>bike marking events</a> has moved.</p>"
        "<img src='/media/images/bike-lock.jpg' alt='A D-lock through a bike frame'>",
    ),
    "advice/online-safety/romance-fraud": (
        "Romance fraud",
        "<p>Romance fraudsters build a relationship online and then ask for money.</p>"
        "<ul><li>Never send money to someone you have not met in person.</li>"
        "<li>Talk to family or friends about new online relationships.</li></ul>",
    ),
    "advice/online-safety/protecting-your-accounts": (
        "Protecting your accounts",
        "<p>Use three random words for passwords and turn on two-step verification.</p>",
    ),
    "advice/road-safety/speeding": (
        "Speeding and speed cameras",
        "<p>Where our cameras are and how <a href='/advice/road-safety/community-speedwatch/'>Community Speedwatch</a> works.</p>",
    ),
    "advice/road-safety/community-speedwatch": (
        "Community Speedwatch",
        "<p>Volunteers use speed detection devices to monitor vehicles in their area.</p>"
        "<p>Download the <a href='/media/documents/speedwatch-sign-up.pdf'>sign-up form</a>.</p>",
    ),
    "advice/anti-social-behaviour.aspx": (
        "Anti-social behaviour",
        "<p>Report anti-social behaviour online or by calling 101.</p>",
    ),
}

# Fenmoor's rules file for the import (site_import.rules), as its web team would write it.
RULES = f"""
[crawl]
concurrency = 4
delay_seconds = 0
timeout_seconds = 1
max_page_bytes = 1_000_000

[site]
old_hosts = ["{OLD_HOST_ALIAS}"]
title_suffixes = [" | Fenmoor Constabulary"]

[extract]
remove_selectors = [".share-links", ".breadcrumb"]
"""

AREAS = ["marshby", "wisbech-road", "chatteris", "whittlesey"]


@dataclass
class Response:
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0


def build_site():
    """Every address of the old site and its response, and the sitemap's list."""
    routes = {}
    listed = []

    def add(path, html_text, in_sitemap=True, **extra):
        routes[path] = Response(body=html_text.encode(), **extra)
        if in_sitemap:
            listed.append(path)

    add(
        "/",
        page(
            "Welcome to Fenmoor Constabulary",
            "<p>Report a crime, get advice and read the latest news from Fenmoor.</p>"
            "<ul>"
            + "".join(f"<li><a href='/news/{d}/{s}.aspx'>{t}</a></li>" for d, s, t, *_ in NEWS[:3])
            + "</ul><p><a href='/about-us/chief-constable/?ref=home'>Meet the Chief Constable</a></p>",
        ),
    )
    items = "".join(
        f"<li><a href='/news/{d}/{s}.aspx'>{t}</a> <span>{d}</span></li>" for d, s, t, *_ in NEWS
    )
    add(
        "/news",
        page("News", f"<ul class='news-list'>{items}</ul><a href='/news?page=2'>Next page</a>"),
    )
    add(
        "/appeals",
        page(
            "Appeals",
            "<ul>"
            + "".join(f"<li><a href='/appeals/{s}'>{t}</a></li>" for s, t, *_ in APPEALS)
            + "</ul>",
        ),
    )
    for day, slug, title, lead, image in NEWS:
        iso = day.replace("/", "-")
        head = (
            f'<meta property="og:type" content="article"><meta name="description" content="{lead[:150]}">'
            '<script type="application/ld+json">'
            + json.dumps(
                {
                    "@context": "https://schema.org",
                    "@type": "NewsArticle",
                    "headline": title,
                    "datePublished": iso,
                }
            )
            + "</script>"
        )
        picture = f"<img src='/media/images/{image}.jpg' alt='{title} (photo)'>" if image else ""
        body = (
            f"<p class='date' style='color:#666;font-size:11px'>Published {iso}</p>"
            f"<p><strong>{lead}</strong></p>{picture}"
            "<p>Detective Inspector Sarah Holt said: &ldquo;We know how distressing this is for "
            "the community, and we are grateful for the support we have had from residents "
            "who came forward with information.&rdquo;</p>"
            "<p>If you have information, <a href='/contact-us/'>contact us</a> or call 101. "
            "See our <a href='/advice/crime-prevention/burglary/'>crime prevention advice</a>.</p>"
            "<p>You can also call Crimestoppers anonymously on 0800 555 111.</p>"
        )
        add(f"/news/{day}/{slug}.aspx", page(title, body, head=head))
    for slug, title, lead, reference in APPEALS:
        body = (
            f"<p>{lead}</p><p>Anyone with information should call 101 quoting reference "
            f"{reference}, or report it <a href='/report-online/'>online</a>.</p>"
            "<p><a href='/appeals'>Back to appeals</a></p>"
        )
        add(
            f"/appeals/{slug}",
            page(title, body, head='<meta property="og:type" content="article">'),
        )
    add(
        "/advice/",
        page(
            "Advice",
            "<p>Advice on staying safe in Fenmoor.</p><ul>"
            "<li><a href='/advice/crime-prevention/'>Crime prevention</a></li>"
            "<li><a href='/advice/online-safety/'>Online safety</a></li>"
            "<li><a href='/advice/road-safety/speeding/'>Speeding</a></li>"
            "<li><a href='/advice/anti-social-behaviour.aspx'>Anti-social behaviour</a></li>"
            "<li><a href='/advice/old-page-removed/'>Neighbourhood Watch (old)</a></li></ul>",
        ),
    )
    add(
        "/advice/crime-prevention/",
        page(
            "Crime prevention",
            "<p>Simple steps to protect your home, car and bike.</p><ul>"
            "<li><a href='/advice/crime-prevention/burglary/'>Burglary</a></li>"
            "<li><a href='/advice/crime-prevention/vehicle-crime/'>Vehicle crime</a></li>"
            "<li><a href='/advice/crime-prevention/cycle-theft/'>Cycle theft</a></li></ul>",
        ),
    )
    add(
        "/advice/online-safety/",
        page(
            "Online safety",
            "<p>How to stay safe from fraud and abuse online.</p>"
            "<ul><li><a href='/advice/online-safety/romance-fraud/'>Romance fraud</a></li>"
            "<li><a href='/advice/online-safety/protecting-your-accounts/'>Your accounts</a></li>"
            "<li><a href='/advice/online-safety/malformed/'>Sextortion</a></li></ul>",
        ),
    )
    for path, (title, body) in ADVICE.items():
        suffix = "" if path.endswith(".aspx") else "/"
        add(
            f"/{path}{suffix}",
            page(title, body + "<p><a href='/advice/'>Back to advice</a></p>"),
            in_sitemap=path != "advice/online-safety/protecting-your-accounts",
        )
    # Malformed: unclosed tags, bad nesting, a stray </div>, an unquoted attribute.
    add(
        "/advice/online-safety/malformed/",
        (
            "<html><head><title>Sextortion | Fenmoor Constabulary</title><body><div id=content>"
            "<h1>Sextortion<p>If someone is threatening to share intimate images of you, <b>do not pay"
            "<p>Stop contact, keep the evidence and <a href=/contact-us/>report it to us</a>.</i></div></div>"
            "<ul><li>Do not delete the messages<li>Call 999 if you are in danger</ul><table><td>x"
        ),
    )
    add(
        "/your-area/",
        page(
            "Your area",
            "<p>Find your neighbourhood policing team.</p><ul>"
            + "".join(
                f"<li><a href='/your-area/{area}/'>{area.replace('-', ' ').title()}</a></li>"
                for area in AREAS
            )
            + "<li><a href='/your-area/rural-team/'>Rural crime team</a></li></ul>",
        ),
    )
    for area in AREAS:
        name = area.replace("-", " ").title()
        add(
            f"/your-area/{area}/",
            page(
                f"{name} neighbourhood team",
                (
                    f"<p>Your {name} team is led by Sergeant Amir Khan. Our priorities are anti-social "
                    "behaviour in the town centre and speeding on rural roads.</p>"
                    f"<p>Meet the team at <a href='/your-area/{area}/?print=1'>our next surgery</a>.</p>"
                ),
            ),
        )
    add(
        "/your-area/rural-team/", page("Rural crime team", "<p>Tackling farm theft.</p>"), delay=3.0
    )
    add(
        "/about-us/",
        page(
            "About us",
            "<p>Fenmoor Constabulary polices 860,000 people.</p>"
            "<ul><li><a href='/about-us/chief-constable/'>Chief Constable</a></li>"
            "<li><a href='/about-us/freedom-of-information/'>Freedom of information</a></li>"
            "<li><a href='/about-us/our-performance/'>Our performance</a></li>"
            "<li><a href='/about-us/annual-report-archive/'>Annual report archive</a></li>"
            "<li><a href='/about-us/board-minutes/'>Board minutes</a></li></ul>",
        ),
    )
    add(
        "/about-us/chief-constable/",
        page(
            "Chief Constable",
            (
                "<p>Chief Constable Helen Marsh joined Fenmoor Constabulary in 2021 after 25 years in "
                "policing.</p><img src='/media/images/chief-constable.jpg' alt='Chief Constable Helen Marsh in uniform'>"
                "<p>She leads on rural crime for the National Police Chiefs' Council.</p>"
            ),
        ),
    )
    add(
        "/about-us/freedom-of-information/",
        page(
            "Freedom of information",
            (
                "<p>You can ask us for information we hold under the Freedom of Information Act 2000.</p>"
                "<ul><li><a href='/media/documents/foi-disclosure-log-2023.pdf'>Disclosure log 2023 (PDF)</a></li>"
                "<li><a href='/media/documents/stop-and-search-data.csv'>Stop and search data (CSV)</a></li>"
                "<li><a href='/media/documents/publication-scheme.pdf'>Publication scheme (PDF)</a></li>"
                "<li><a href='/media/documents/missing-report.pdf'>Missing report (PDF)</a></li></ul>"
            ),
        ),
    )
    add(
        "/about-us/our-performance/",
        page(
            "Our performance",
            (
                "<div style='float:right;width:200px;background:#ffc;border:1px solid #cc0;padding:5px'>"
                "<font face='Arial' size='2' color='red'>Updated quarterly</font></div>"
                "<p style='font-family:Verdana;font-size:12px'>How we are doing against the Police and "
                "Crime Plan.</p>"
                "<table border='1' cellpadding='4' style='border-collapse:collapse;width:100%'>"
                "<tr style='background:#003'><th><font color='white'>Measure</font></th><th>2022/23</th><th>2023/24</th></tr>"
                "<tr><td>999 calls answered in 10 seconds</td><td>84%</td><td>91%</td></tr>"
                "<tr><td>Burglaries</td><td>2,104</td><td>1,876</td></tr></table>"
                "<p><span style='color:green'><b>Down 11%</b></span> on the year before.</p>"
            ),
        ),
    )
    add(
        "/about-us/annual-report-archive/",
        page(
            "Annual report archive",
            "<p>Every annual report since 1995.</p>"
            + "<p>"
            + "Archived report text. " * 150_000
            + "</p>",
        ),
    )
    add("/about-us/board-minutes/", page("Board minutes", "<p>Minutes.</p>"), status=500)
    add(
        "/contact-us/",
        page(
            "Contact us",
            (
                "<p><strong>In an emergency always call 999.</strong></p>"
                "<p>For non-emergencies call 101 or <a href='/report-online/'>report online</a>.</p>"
                "<p>Email: <a href='mailto:enquiries@fenmoor.police.uk'>enquiries@fenmoor.police.uk</a></p>"
                "<p>See our <a href='/contact-us/police-stations/'>police station opening hours</a>.</p>"
            ),
        ),
    )
    add(
        "/contact-us/police-stations/",
        page(
            "Police stations and opening hours",
            (
                "<table style='width:600px' bgcolor='#eeeeee'><tr><th>Station</th><th>Opening hours</th></tr>"
                "<tr><td>Marshby</td><td>8am to 8pm, every day</td></tr>"
                "<tr><td>Chatteris</td><td>10am to 4pm, Monday to Friday</td></tr></table>"
                f"<p>All stations: <a href='https://{OLD_HOST_ALIAS}/contact-us/'>contact us</a>.</p>"
            ),
        ),
    )
    add(
        "/report-online/",
        page(
            "Report online",
            "<p>Report a crime or incident online.</p>"
            "<p>Download our <a href='/downloads/report-form.zip'>paper form</a>.</p>",
        ),
    )
    add(
        "/accessibility",
        page("Accessibility", "<p>We want this website to be usable by everyone.</p>"),
    )
    add(
        "/cookies",
        page("Cookies", "<p>We use cookies to make this website work.</p>"),
        in_sitemap=False,
    )
    # A redirect chain left by two CMS migrations.
    routes["/crime-prevention/burglary.aspx"] = Response(
        status=301, headers={"Location": "/advice/burglary"}
    )
    routes["/advice/burglary"] = Response(
        status=301, headers={"Location": "/advice/crime-prevention/burglary/"}
    )
    listed.append("/crime-prevention/burglary.aspx")
    routes["/feeds/news.rss"] = Response(
        content_type="application/rss+xml", body=b"<?xml version='1.0'?><rss></rss>"
    )
    listed.append("/feeds/news.rss")
    routes["/downloads/report-form.zip"] = Response(
        content_type="application/zip", body=b"PK\x03\x04fake"
    )
    # Media.
    routes["/media/images/logo.png"] = Response(content_type="image/png", body=png("#003366"))
    for name, colour in (
        ("burglary-scene", "#884422"),
        ("team-photo", "#224488"),
        ("recruits", "#228844"),
        ("door-lock", "#555555"),
        ("chief-constable", "#111133"),
    ):
        routes[f"/media/images/{name}.jpg"] = Response(content_type="image/jpeg", body=jpeg(colour))
    # Not an image, whatever it says.
    routes["/media/images/team-photo.jpg"] = Response(
        content_type="image/jpeg", body=b"<html>not an image</html>"
    )
    for name in ("home-security-leaflet", "foi-disclosure-log-2023", "speedwatch-sign-up"):
        routes[f"/media/documents/{name}.pdf"] = Response(
            content_type="application/pdf", body=pdf(name)
        )
    routes["/media/documents/publication-scheme.pdf"] = Response(
        content_type="application/pdf", body=b"<!DOCTYPE html><html>Error page</html>"
    )
    routes["/media/documents/stop-and-search-data.csv"] = Response(
        content_type="text/csv", body=b"month,searches\n2024-01,312\n2024-02,298\n"
    )
    routes["/robots.txt"] = Response(
        content_type="text/plain", body=b"User-agent: *\nDisallow: /admin/\nDisallow: /search\n"
    )
    return routes, listed


class OldSite:
    """The old site on a threaded HTTP server on 127.0.0.1 (a port of its own); counts the
    requests it answers by path."""

    def __init__(self):
        self.routes, self.listed = build_site()
        self.requests = []
        self.times = []  # when each request arrived, in the order of ``requests``
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path = urlsplit(self.path).path
                site.requests.append(self.path)
                site.times.append(time.monotonic())
                if path == "/sitemap.xml":
                    response = site.sitemap()
                else:
                    response = site.routes.get(
                        path,
                        Response(status=404, body=page("Page not found", "<p>Sorry.</p>").encode()),
                    )
                if response.delay:
                    time.sleep(response.delay)
                try:
                    self.send_response(response.status)
                    self.send_header("Content-Type", response.content_type)
                    self.send_header("Content-Length", str(len(response.body)))
                    for name, value in response.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(response.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the importer stopped reading (a timeout or a page too large)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def sitemap(self):
        urls = "".join(f"<url><loc>{self.url}{path}</loc></url>" for path in self.listed)
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        )
        return Response(content_type="application/xml", body=body.encode())

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
