"""What the security middleware costs a public page: measured in-process by ``make bench``.

The pages are rendered with the page cache off (what a cached page's first visitor pays; a hit
never reaches this middleware), in interleaved rounds, once with the whole middleware stack and
once without the middleware added for security (Content-Security-Policy, the admin's idle
timeout, django-otp and the two-factor check, django-axes). Time is this process's CPU time, the
figure least disturbed by a busy machine; each round's per-request figure is kept and the median
of the rounds is reported.
"""

import statistics
import time

# The middleware added by the security work (issue 13), as named in settings.MIDDLEWARE.
SECURITY_MIDDLEWARE = (
    "solh.csp.ContentSecurityPolicyMiddleware",
    "solh.signin.AdminIdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "solh.two_factor.middleware.TwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
)
ROUNDS = 5
REQUESTS_PER_ROUND = 60


def _per_request_ms(client, scenario, requests):
    began = time.process_time()
    for _ in range(requests):
        response = client.get(scenario.path, HTTP_HOST=scenario.host)
        if response.status_code != 200:
            raise RuntimeError(f"{scenario.url}: {response.status_code}")
    return (time.process_time() - began) * 1000 / requests


def measure(scenarios, rounds=ROUNDS, requests=REQUESTS_PER_ROUND):
    """``{name: {"with_ms", "without_ms", "cost_ms", "cost_ratio"}}`` for each scenario."""
    from django.conf import settings
    from django.test import Client, override_settings

    stacks = {
        "with": list(settings.MIDDLEWARE),
        "without": [name for name in settings.MIDDLEWARE if name not in SECURITY_MIDDLEWARE],
    }
    found = {}
    for scenario in scenarios:
        figures = {"with": [], "without": []}
        for _round in range(rounds):
            for variant, middleware in stacks.items():
                with override_settings(PAGE_CACHE_ENABLED=False, MIDDLEWARE=middleware):
                    client = Client()
                    _per_request_ms(client, scenario, 3)  # warm: this stack's first requests
                    figures[variant].append(_per_request_ms(client, scenario, requests))
        with_ms = statistics.median(figures["with"])
        without_ms = statistics.median(figures["without"])
        found[scenario.name] = {
            "with_ms": round(with_ms, 3),
            "without_ms": round(without_ms, 3),
            "cost_ms": round(with_ms - without_ms, 3),
            "cost_ratio": round(with_ms / without_ms, 3) if without_ms else None,
        }
    return found


def markdown_lines(found):
    """The section of ``.bench/results.md``."""
    lines = [
        "In-process CPU time per uncached request (page cache off: a page-cache hit never "
        "reaches this middleware), the median of "
        f"{ROUNDS} interleaved rounds of {REQUESTS_PER_ROUND} requests, with the whole middleware "
        "stack and without the security middleware (CSP, idle timeout, django-otp, the "
        "two-factor check, django-axes).",
        "",
        "| page | with ms | without ms | cost ms | with / without |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, figures in found.items():
        lines.append(
            f"| {name} | {figures['with_ms']:.2f} | {figures['without_ms']:.2f} | "
            f"{figures['cost_ms']:+.2f} | {figures['cost_ratio']:.3f}× |"
        )
    return lines
