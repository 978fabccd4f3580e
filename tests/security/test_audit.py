"""scripts/audit.py, run as CI runs it, on requirements files made here.

A known-vulnerable pin must fail the audit; an allow-list entry (by the advisory's id or an
alias) accepts it until its expiry date, after which it fails again; a malformed entry fails;
a dependency nobody could check fails unless ``--unaudited=warn``. The advisories come from the
real services (PyPI, reached like any package install), so these tests need the network to
the registry, as CI has it.
"""

import datetime
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "audit.py"
# pycrypto's last release (2013) has published advisories (PYSEC-2017-94 among them) and will
# never have a fix: a stable example of a known-vulnerable pin.
VULNERABLE_PIN = "pycrypto==2.6.1"
TODAY = datetime.date(2026, 6, 1)


def run_audit(tmp_path, requirements, allowlist="allow = []\n", *extra):
    (tmp_path / "requirements.txt").write_text(requirements + "\n")
    (tmp_path / "allow.toml").write_text(allowlist)
    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--requirements",
            str(tmp_path / "requirements.txt"),
            "--allowlist",
            str(tmp_path / "allow.toml"),
            "--skip-npm",
            "--today",
            TODAY.isoformat(),
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def entries(advisories, expires, reason="Reviewed: not reachable in this platform."):
    return "".join(
        f'[[allow]]\nid = "{advisory}"\npackage = "pycrypto"\nreason = "{reason}"\n'
        f"expires = {expires.isoformat()}\n"
        for advisory in advisories
    )


@pytest.fixture(scope="module")
def vulnerable(tmp_path_factory):
    """The audit of the vulnerable pin with nothing accepted: its status, output and ids."""
    status, output = run_audit(tmp_path_factory.mktemp("vulnerable"), VULNERABLE_PIN)
    found = re.findall(r"^VULNERABLE PyPI pycrypto 2\.6\.1 (\S+)(?: \[([^\]]*)\])?", output, re.M)
    return status, output, found


def test_a_known_vulnerability_fails_the_audit(vulnerable):
    status, output, found = vulnerable
    assert status == 1, output
    assert found, output
    assert "NOT AUDITED" not in output, output


def test_an_allow_list_entry_accepts_it_until_it_expires(tmp_path, vulnerable):
    _status, _output, found = vulnerable
    ids = [advisory for advisory, _aliases in found]
    status, output = run_audit(tmp_path, VULNERABLE_PIN, entries(ids, TODAY))
    assert status == 0, output
    assert output.count("accepted  PyPI pycrypto") == len(ids), output

    status, output = run_audit(
        tmp_path, VULNERABLE_PIN, entries(ids, TODAY - datetime.timedelta(days=1))
    )
    assert status == 1, output
    assert "EXPIRED" in output and "VULNERABLE" in output, output


def test_an_alias_is_as_good_as_the_id(tmp_path, vulnerable):
    _status, _output, found = vulnerable
    by_alias = [aliases.split(", ")[0] if aliases else advisory for advisory, aliases in found]
    status, output = run_audit(tmp_path, VULNERABLE_PIN, entries(by_alias, TODAY))
    assert status == 0, output


def test_an_entry_without_a_reason_fails(tmp_path, vulnerable):
    _status, _output, found = vulnerable
    ids = [advisory for advisory, _aliases in found]
    status, output = run_audit(tmp_path, VULNERABLE_PIN, entries(ids, TODAY, reason=""))
    assert status == 1 and "INVALID" in output, output


def test_a_dependency_that_could_not_be_checked_fails_unless_warned(tmp_path):
    unknown = "solh-no-such-package-for-the-audit-test==1.0"
    status, output = run_audit(tmp_path, unknown)
    assert status == 1 and "NOT AUDITED PyPI solh-no-such-package" in output, output
    status, output = run_audit(tmp_path, unknown, "allow = []\n", "--unaudited", "warn")
    assert status == 0, output


def load_script():
    spec = importlib.util.spec_from_file_location("audit_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_npm_advisories_are_read_and_matched_by_ghsa_id():
    audit = load_script()
    # The shape of `npm audit --omit=dev --json` (npm 7 and later) for one advisory.
    report = {
        "auditReportVersion": 2,
        "vulnerabilities": {
            "minimist": {
                "name": "minimist",
                "severity": "critical",
                "via": [
                    {
                        "source": 1097677,
                        "name": "minimist",
                        "title": "Prototype Pollution in minimist",
                        "url": "https://github.com/advisories/GHSA-xvch-5gv4-984h",
                        "severity": "critical",
                        "range": "<0.2.4",
                    }
                ],
                "range": "<0.2.4",
            },
            "optimist": {"name": "optimist", "via": ["minimist"], "range": "*"},
        },
    }
    (finding,) = audit.npm_findings(report)
    assert (finding.package, finding.id, finding.aliases) == (
        "minimist",
        "GHSA-xvch-5gv4-984h",
        ("1097677",),
    )
    result = audit.Audit(findings=[finding])
    allowed = {"id": "GHSA-xvch-5gv4-984h", "package": "minimist", "reason": "x"}
    unaccepted, expired, _unused, accepted = audit.judge(
        result, [{**allowed, "expires": TODAY}], TODAY
    )
    assert (unaccepted, expired, len(accepted)) == ([], [], 1)
    unaccepted, expired, _unused, _accepted = audit.judge(
        result, [{**allowed, "expires": TODAY - datetime.timedelta(days=1)}], TODAY
    )
    assert unaccepted == [finding] and len(expired) == 1
