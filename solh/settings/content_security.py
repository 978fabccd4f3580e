"""The Content-Security-Policy directives, from environment variables (imported by ``base``).

Two policies, applied by ``solh.csp.ContentSecurityPolicyMiddleware`` (django-csp underneath):

* **public** (every force site, the hub, the reporting journeys): scripts only from the site
  itself, no inline script at all, so cached pages need no nonce; inline ``<style>`` only by
  the sha256 hash of each block (the force theme), added per response.
* **admin** (``/admin/``): what Wagtail 8's admin needs and no more. It writes inline
  ``<script>`` elements (date pickers, inline panels, search promotions) and ``style``
  attributes, so those are allowed there; inline event handlers, ``eval``, plugins, other
  origins, ``<base>`` and being framed by another site stay forbidden.

Values are in django-csp's format (``csp.constants.NONCE`` marks where a nonce goes when a
response used one; django-csp drops it otherwise).
"""

from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF, UNSAFE_HASHES, UNSAFE_INLINE

# Where browsers send violation reports (solh.csp.report): a path on each site.
DEFAULT_REPORT_URI = "/csp-report/"
# The name of that endpoint in the ``Reporting-Endpoints`` header, for ``report-to``.
REPORT_TO_GROUP = "csp-endpoint"
# sha256 of "return;" (see admin_directives).
JCROP_TOUCH_TEST = "'sha256-i+qr4lq34KgNHiW62lWi9aInEBwiEOrfCzaNPCvkqD8='"


def _get(environ, name, default=None):
    value = environ.get(name, "")
    return value if value != "" else default


def _list(environ, name):
    return [item.strip() for item in _get(environ, name, "").split(",") if item.strip()]


def _origin(url):
    """``scheme://host[:port]`` of an absolute URL, or ``None`` for a path."""
    parts = urlsplit(url or "")
    if parts.scheme in {"http", "https"} and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    if url and url.startswith("//") and parts.netloc:
        return f"https://{parts.netloc}"
    return None


def media_sources(environ, media_url):
    """Origins images may come from besides the site: S3 or its CDN when media live there,
    plus any listed in ``CSP_EXTRA_IMG_SRC``."""
    sources = []
    for url in (media_url, _get(environ, "AWS_S3_CUSTOM_DOMAIN")):
        if url and "://" not in url and not url.startswith(("/", "//")):
            url = f"https://{url}"  # AWS_S3_CUSTOM_DOMAIN is a bare host name
        origin = _origin(url)
        if origin and origin not in sources:
            sources.append(origin)
    if _get(environ, "AWS_STORAGE_BUCKET_NAME") and not _get(environ, "AWS_S3_CUSTOM_DOMAIN"):
        endpoint = _get(environ, "AWS_S3_ENDPOINT_URL")
        sources.append(_origin(endpoint) or "https://*.amazonaws.com")
    for extra in _list(environ, "CSP_EXTRA_IMG_SRC"):
        if extra not in sources:
            sources.append(extra)
    return sources


def _reporting(report_uri):
    if not report_uri:
        return {}
    return {"report-uri": report_uri, "report-to": REPORT_TO_GROUP}


def public_directives(environ, media_url, upgrade_insecure_requests=False):
    """The public sites' policy."""
    return {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, *media_sources(environ, media_url)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": upgrade_insecure_requests,
        **_reporting(_get(environ, "CSP_REPORT_URI", DEFAULT_REPORT_URI)),
    }


def admin_directives(environ, media_url, upgrade_insecure_requests=False):
    """Wagtail's admin: the loosest part is what its own templates need (see the module's
    docstring); tightened wherever the admin still works, as checked in Chromium by
    tests/browser/test_csp.py. No nonce here: a nonce would switch off the
    ``'unsafe-inline'`` that Wagtail's inline scripts rely on."""
    return {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        # No onclick="…" and the like, the usual way an injected attribute becomes a script.
        # The one Wagtail 8 writes is Jcrop's touch-support test (the image focal point
        # editor) setting ontouchstart="return;", allowed by its exact hash.
        "script-src-attr": [UNSAFE_HASHES, JCROP_TOUCH_TEST],
        "style-src": [SELF, UNSAFE_INLINE],
        # data: for the icons Wagtail's stylesheets embed, blob: for image previews on upload.
        "img-src": [SELF, "data:", "blob:", *media_sources(environ, media_url)],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        # The page editor's live preview is an iframe of the admin itself.
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        # 'self' only for the preview views (solh.csp), which Wagtail lets frame themselves.
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": upgrade_insecure_requests,
        **_reporting(_get(environ, "CSP_REPORT_URI", DEFAULT_REPORT_URI)),
    }


def content_security_policies(environ, media_url, upgrade_insecure_requests=False):
    """``(CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY, admin directives)``.

    ``CSP_REPORT_ONLY=true`` sends the same policies as ``…-Report-Only`` headers instead: the
    browser reports what it would have blocked and blocks nothing (for trying a change out).
    """
    public = {"DIRECTIVES": public_directives(environ, media_url, upgrade_insecure_requests)}
    admin = admin_directives(environ, media_url, upgrade_insecure_requests)
    report_only = _get(environ, "CSP_REPORT_ONLY", "false").lower() in {"1", "true", "yes", "on"}
    if report_only:
        return None, public, admin
    return public, None, admin
