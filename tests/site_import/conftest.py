"""Fixtures of the site import tests: Fenmoor's old website over HTTP, its rules, the force."""

from io import StringIO

from django.core.management import call_command

import pytest

from .old_site import RULES, OldSite


@pytest.fixture
def old_site():
    with OldSite() as site:
        yield site


@pytest.fixture
def rules_file(tmp_path):
    path = tmp_path / "fenmoor.toml"
    path.write_text(RULES, encoding="utf-8")
    return path


@pytest.fixture
def fenmoor(make_force):
    return make_force("fenmoor", "Fenmoor Constabulary")


@pytest.fixture
def run_import(old_site, rules_file, tmp_path):
    """``run_import(*options)``: manage.py import_site fenmoor <the old site's sitemap>, its
    output and the path of its CSV report."""

    def run(*options, source=None):
        report = tmp_path / "report.csv"
        out = StringIO()
        call_command(
            "import_site",
            "fenmoor",
            source or f"{old_site.url}/sitemap.xml",
            "--rules",
            str(rules_file),
            "--report",
            str(report),
            "--no-progress",
            *options,
            stdout=out,
        )
        return out.getvalue(), report

    return run
