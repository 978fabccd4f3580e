"""Content-Security-Policy: the header on every response, and the endpoint its reports go to.

The policies themselves are settings (``solh/settings/content_security.py``); django-csp's
middleware writes them. What this module adds:

* **No nonce in a shared cache.** Public pages are stored whole, headers and body, by the page
  cache (``solh.page_cache``) and by a CDN, and served to every visitor: a nonce in them would
  be one value for everyone, readable by anyone, which is no nonce at all. So public templates
  have no inline script (their scripts are files built from ``frontend/``) and the public
  policy is ``script-src 'self'``. A response that did read ``request.csp_nonce`` gets the
  nonce in its header, and is marked ``private`` here so that neither cache keeps it.
* **Hashes for inline styles.** The force theme is a small ``<style>`` block that differs per
  site but not per visitor; ``{% hashed_style %}`` (``solh.templatetags.content_security``)
  records its sha256 here and the public policy allows exactly that block. A hash is the same
  for every visitor, so the page may be cached with it.
* **The admin policy** for ``/admin/``, with ``frame-ancestors 'self'`` only on the responses
  Wagtail lets its own pages frame (the page editor's preview, marked ``SAMEORIGIN``).
* ``Reporting-Endpoints``, so browsers that send reports by the Reporting API know where.

The middleware goes right after the page cache: a cached page keeps the header it was stored
with, and the page cache sees the ``private`` mark before it would store a response.
"""

import base64
import hashlib
import json
import logging
import re
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from csp.middleware import CSPMiddleware
from csp.utils import default_config

from .settings.content_security import REPORT_TO_GROUP

logger = logging.getLogger(__name__)

ADMIN_PREFIX = "/admin/"
# The sha256 sources of the inline styles a response's templates wrote.
_STYLE_HASHES = "_csp_style_hashes"


def source_hash(text):
    """The CSP source that allows an inline block whose content is exactly ``text``."""
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def allow_inline_style(request, css):
    """Allow the ``<style>`` block holding exactly ``css`` in this response's policy."""
    if request is not None:
        hashes = getattr(request, _STYLE_HASHES, None)
        if hashes is None:
            hashes = set()
            setattr(request, _STYLE_HASHES, hashes)
        hashes.add(source_hash(css))


def is_admin(request):
    return request.path_info.startswith(ADMIN_PREFIX)


def nonce_used(request):
    """Did rendering this response read ``request.csp_nonce``?"""
    return isinstance(getattr(request, "_csp_nonce", None), str)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the public/admin split described in the module docstring."""

    def process_response(self, request, response):
        if getattr(request, "is_dummy", False):
            # Wagtail renders a preview through the middleware with a stand-in request for
            # the page's public URL; the admin request that shows it sets the policy.
            return response
        if nonce_used(request):
            # One visitor's nonce: never for a shared cache.
            patch_cache_control(response, private=True)
        response = super().process_response(request, response)
        if settings.CONTENT_SECURITY_POLICY_REPORT_URI and "Reporting-Endpoints" not in response:
            endpoint = request.build_absolute_uri(settings.CONTENT_SECURITY_POLICY_REPORT_URI)
            response["Reporting-Endpoints"] = f'{REPORT_TO_GROUP}="{endpoint}"'
        return response

    def get_policy_parts(self, request, response, report_only=False):
        """The settings' public policy, or the admin's, with this response's additions."""
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            active = settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
        else:
            active = settings.CONTENT_SECURITY_POLICY
        if not active:
            return parts  # this header (enforced or report-only) is not in use
        if is_admin(request):
            if parts.config is None:
                parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN)
            # Wagtail's inline scripts need 'unsafe-inline', which a nonce would switch off.
            parts.nonce = None
            if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
                parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
            return parts
        hashes = getattr(request, _STYLE_HASHES, None)
        if hashes:
            update = dict(parts.update or {})
            update["style-src"] = [*update.get("style-src", ()), *sorted(hashes)]
            parts.update = update
        return parts


# --- Violation reports -----------------------------------------------------------------------

# A report is a few hundred bytes; anything much bigger is not a browser's.
REPORT_MAX_BYTES = 16 * 1024
# Reports logged per request and per minute per process: the endpoint is open to anyone, and
# one bad page seen by many visitors must not flood the logs.
REPORTS_PER_REQUEST = 10
REPORTS_PER_MINUTE = 60
DIRECTIVE_NAME = re.compile(r"[a-z-]{1,40}")

_budget_lock = threading.Lock()
_budget = {"window": 0, "logged": 0, "dropped": 0}


def _within_budget():
    window = int(time.monotonic() // 60)
    with _budget_lock:
        if _budget["window"] != window:
            if _budget["dropped"]:
                logger.warning("CSP reports: %d not logged in the last minute", _budget["dropped"])
            _budget.update(window=window, logged=0, dropped=0)
        if _budget["logged"] >= REPORTS_PER_MINUTE:
            _budget["dropped"] += 1
            return False
        _budget["logged"] += 1
        return True


def _printable(text, limit=200):
    """Anyone can post here: no control characters (forged log lines), nothing long."""
    return "".join(ch if ch.isprintable() else "?" for ch in text[:limit]) or "-"


def _where(url):
    """A URL without its query string and fragment (which could carry personal data)."""
    if not isinstance(url, str) or not url:
        return "-"
    parts = urlsplit(url)
    if parts.scheme in {"http", "https"}:
        return _printable(f"{parts.scheme}://{parts.netloc}{parts.path}")
    return _printable(parts.scheme or url, 20)


def _blocked(value):
    """What was blocked: a keyword (``inline``, ``eval``), a scheme, or an origin — never a
    full address."""
    if not isinstance(value, str) or not value:
        return "-"
    parts = urlsplit(value)
    if parts.scheme in {"http", "https"}:
        return _printable(f"{parts.scheme}://{parts.netloc}")
    if parts.scheme:
        return _printable(f"{parts.scheme}:", 20)
    return _printable(value, 20)


def _directive(value):
    return value if isinstance(value, str) and DIRECTIVE_NAME.fullmatch(value) else "-"


def _number(value):
    return value if isinstance(value, int) else "-"


def _violations(payload):
    """The violations in a report body, whichever of the two formats browsers send."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        old = payload["csp-report"]  # report-uri: application/csp-report
        yield {
            "directive": old.get("effective-directive") or old.get("violated-directive"),
            "blocked": old.get("blocked-uri"),
            "page": old.get("document-uri"),
            "source": old.get("source-file"),
            "line": old.get("line-number"),
            "column": old.get("column-number"),
            "disposition": old.get("disposition"),
        }
    elif isinstance(payload, list):  # report-to: application/reports+json
        for item in payload:
            if not isinstance(item, dict) or item.get("type") != "csp-violation":
                continue
            body = item.get("body") if isinstance(item.get("body"), dict) else {}
            yield {
                "directive": body.get("effectiveDirective"),
                "blocked": body.get("blockedURL"),
                "page": body.get("documentURL") or item.get("url"),
                "source": body.get("sourceFile"),
                "line": body.get("lineNumber"),
                "column": body.get("columnNumber"),
                "disposition": body.get("disposition"),
            }


@csrf_exempt
@require_POST
def report(request):
    """Where browsers send CSP violation reports: each is logged as one line, without the
    visitor's address, browser, query strings or the script sample a report may carry."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        payload = json.loads(request.body or b"null")
    except ValueError:
        return HttpResponse(status=400)
    for number, violation in enumerate(_violations(payload)):
        if number >= REPORTS_PER_REQUEST or not _within_budget():
            break
        logger.warning(
            "CSP violation: %s blocked %s on %s (%s:%s:%s, %s)",
            _directive(violation["directive"]),
            _blocked(violation["blocked"]),
            _where(violation["page"]),
            _where(violation["source"]),
            _number(violation["line"]),
            _number(violation["column"]),
            "report only" if violation["disposition"] == "report" else "enforced",
        )
    return HttpResponse(status=204)
