#!/usr/bin/env python3
"""Known vulnerabilities in the pinned dependencies: pip-audit on requirements.lock and
``npm audit --omit=dev`` on package-lock.json, with a reviewed allow-list.

Exit status: 0 when nothing unaccepted was found; 1 when a vulnerability is neither fixed nor
accepted, an allow-list entry has expired or is malformed, or (with ``--unaudited=fail``, the
default) some dependency could not be checked at all. A gate that cannot see is not a pass:
pip-audit itself reports "No known vulnerabilities found" when the advisory service answers
nothing, so what was not audited is counted and shown here.

Where the advisory services are out of reach (a registry mirror that serves packages but not
PyPI's per-release JSON or npm's audit endpoint), each Python pin that is its project's newest
release is still checked against the advisories PyPI publishes for that release; the others,
and the npm packages, are listed as not audited.

The allow-list (``security/audit-allowlist.toml``) holds one ``[[allow]]`` table per accepted
advisory: ``id`` (the advisory's id or any alias: GHSA-…, PYSEC-…, CVE-…), ``package``,
``reason`` and ``expires`` (a date; once past, the entry fails the audit until reviewed again).
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import re
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPI_PROJECT_JSON = "https://pypi.org/pypi/{name}/json"
GHSA = re.compile(r"GHSA(-[23456789cfghjmpqrvwx]{4}){3}")
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s;#]+)")
REQUIRED_FIELDS = ("id", "package", "reason", "expires")


def normalise(name):
    """A package name as PyPI compares them (PEP 503); npm names are left as they are."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Finding:
    ecosystem: str  # "PyPI" or "npm"
    package: str
    version: str
    id: str
    aliases: tuple = ()
    summary: str = ""

    def ids(self):
        return {self.id, *self.aliases}


@dataclass
class Audit:
    findings: list = field(default_factory=list)
    unaudited: list = field(default_factory=list)  # (ecosystem, what, why)
    audited: int = 0


# --- Python --------------------------------------------------------------------------------------


def read_pins(requirements):
    """``{normalised name: (name, version)}`` of a requirements file's ``==`` pins."""
    pins = {}
    for line in Path(requirements).read_text().splitlines():
        match = PIN.match(line)
        if match:
            pins[normalise(match.group(1))] = (match.group(1), match.group(3))
    return pins


def run_pip_audit(requirements, service):
    """pip-audit's JSON report of ``requirements`` (every line pinned: no resolver, no
    install), or raise ``RuntimeError`` with what went wrong."""
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(requirements),
        "--no-deps",
        "--disable-pip",
        "--vulnerability-service",
        service,
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        return json.loads(result.stdout)
    except ValueError:
        message = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"pip-audit failed ({service}): {message}") from None


def latest_release_advisories(name, version, timeout=20):
    """PyPI's advisories for ``name==version`` from the project's JSON, which lists those of
    its newest release only: ``None`` when ``version`` is not the newest."""
    url = PYPI_PROJECT_JSON.format(name=normalise(name))
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (fixed https)
        project = json.load(response)
    if project["info"]["version"] != version:
        return None, project["info"]["version"]
    return project.get("vulnerabilities") or [], version


def audit_python(requirements, service, audit):
    pins = read_pins(requirements)
    try:
        report = run_pip_audit(requirements, service)
    except RuntimeError as error:
        report = {"dependencies": [{"name": name, "skip_reason": str(error)} for name in pins]}
    skipped = []
    for dependency in report.get("dependencies", []):
        key = normalise(dependency["name"])
        if "skip_reason" in dependency:
            if key in pins:
                skipped.append(pins[key])
            continue
        audit.audited += 1
        for vulnerability in dependency.get("vulns", []):
            fixed = ", ".join(vulnerability.get("fix_versions") or ())
            audit.findings.append(
                Finding(
                    "PyPI",
                    dependency["name"],
                    dependency["version"],
                    vulnerability["id"],
                    tuple(vulnerability.get("aliases") or ()),
                    f"fixed in {fixed}" if fixed else "",
                )
            )

    def fallback(pin):
        name, version = pin
        try:
            return pin, *latest_release_advisories(name, version)
        except (OSError, ValueError, KeyError) as error:
            return pin, None, f"error: {error}"

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        for (name, version), advisories, latest in pool.map(fallback, skipped):
            if advisories is None:
                why = f"no advisory data for this release (newest: {latest})"
                audit.unaudited.append(("PyPI", f"{name}=={version}", why))
                continue
            audit.audited += 1
            for advisory in advisories:
                fixed = ", ".join(advisory.get("fixed_in") or ())
                audit.findings.append(
                    Finding(
                        "PyPI",
                        name,
                        version,
                        advisory["id"],
                        tuple(advisory.get("aliases") or ()),
                        f"fixed in {fixed}" if fixed else "",
                    )
                )


# --- npm -----------------------------------------------------------------------------------------


def npm_findings(report):
    """The advisories in ``npm audit --json`` output (lockfile v2/v3 report format)."""
    findings = []
    for name, entry in (report.get("vulnerabilities") or {}).items():
        for via in entry.get("via", []):
            if not isinstance(via, dict):
                continue  # an advisory of another package, counted there
            url = via.get("url") or ""
            match = GHSA.search(url)
            advisory = match.group(0) if match else str(via.get("source"))
            aliases = (str(via["source"]),) if match and via.get("source") else ()
            findings.append(
                Finding(
                    "npm",
                    via.get("name") or name,
                    via.get("range") or entry.get("range", ""),
                    advisory,
                    aliases,
                    f"{via.get('severity', '')}: {via.get('title', '')}".strip(": "),
                )
            )
    return findings


def audit_npm(directory, audit):
    result = subprocess.run(
        ["npm", "audit", "--omit=dev", "--json"],  # noqa: S607 (npm from PATH, as make uses it)
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout or "{}")
    except ValueError:
        report = {"error": {"summary": result.stderr.strip()[-200:]}}
    if "vulnerabilities" not in report:
        error = report.get("error") or {}
        why = (
            report.get("message")
            or error.get("summary")
            or error.get("message")
            or f"npm audit exit {result.returncode}"
        )
        audit.unaudited.append(("npm", str(Path(directory) / "package-lock.json"), why))
        return
    dependencies = report.get("metadata", {}).get("dependencies", {})
    audit.audited += dependencies.get("prod", dependencies.get("total", 0))
    audit.findings.extend(npm_findings(report))


# --- The allow-list ------------------------------------------------------------------------------


def load_allowlist(path):
    """The entries of the allow-list file, and the problems found in it."""
    if not Path(path).exists():
        return [], []
    with open(path, "rb") as file:
        entries = tomllib.load(file).get("allow", [])
    problems = []
    for number, entry in enumerate(entries, start=1):
        missing = [name for name in REQUIRED_FIELDS if not entry.get(name)]
        if missing:
            problems.append(f"allow-list entry {number} lacks {', '.join(missing)}")
        elif not isinstance(entry["expires"], datetime.date):
            problems.append(f"allow-list entry {number}: expires must be a date (2026-12-31)")
    return entries, problems


def accepted_by(finding, entries):
    for entry in entries:
        if normalise(entry["package"]) == normalise(finding.package) and entry["id"] in (
            finding.ids()
        ):
            return entry
    return None


def judge(audit, entries, today):
    """``(unaccepted findings, expired entries, unused entries, accepted pairs)``."""
    expired = [entry for entry in entries if entry["expires"] < today]
    live = [entry for entry in entries if entry not in expired]
    accepted, unaccepted, used = [], [], set()
    for finding in audit.findings:
        entry = accepted_by(finding, live)
        if entry is None:
            unaccepted.append(finding)
        else:
            accepted.append((finding, entry))
            used.add(id(entry))
    unused = [entry for entry in live if id(entry) not in used]
    return unaccepted, expired, unused, accepted


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requirements", default=ROOT / "requirements.lock", type=Path)
    parser.add_argument("--npm-dir", default=ROOT, type=Path, help="where package-lock.json is")
    parser.add_argument(
        "--allowlist", default=ROOT / "security" / "audit-allowlist.toml", type=Path
    )
    parser.add_argument("--skip-python", action="store_true")
    parser.add_argument("--skip-npm", action="store_true")
    parser.add_argument(
        "--service",
        default=os.environ.get("PIP_AUDIT_VULNERABILITY_SERVICE", "pypi"),
        choices=["pypi", "osv"],
        help="pip-audit's advisory source (osv needs api.osv.dev)",
    )
    parser.add_argument(
        "--unaudited",
        default=os.environ.get("AUDIT_UNAUDITED", "fail"),
        choices=["fail", "warn"],
        help="what a dependency that could not be checked does to the exit status",
    )
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)
    options = parser.parse_args(argv)
    today = options.today or datetime.date.today()

    entries, problems = load_allowlist(options.allowlist)
    entries = [entry for entry in entries if all(entry.get(name) for name in REQUIRED_FIELDS)]
    audit = Audit()
    if not options.skip_python:
        audit_python(options.requirements, options.service, audit)
    if not options.skip_npm:
        audit_npm(options.npm_dir, audit)
    unaccepted, expired, unused, accepted = judge(audit, entries, today)

    for finding, entry in accepted:
        print(f"accepted  {finding.ecosystem} {finding.package} {finding.version} {finding.id}")
        print(f"          until {entry['expires']}: {entry['reason']}")
    for entry in unused:
        print(f"note      allow-list entry {entry['id']} ({entry['package']}) matches nothing now")
    for ecosystem, what, why in audit.unaudited:
        print(f"NOT AUDITED {ecosystem} {what}: {why}")
    for problem in problems:
        print(f"INVALID   {problem}")
    for entry in expired:
        print(f"EXPIRED   allow-list entry {entry['id']} ({entry['package']}): {entry['expires']}")
    for finding in unaccepted:
        extra = f" ({finding.summary})" if finding.summary else ""
        aliases = f" [{', '.join(finding.aliases)}]" if finding.aliases else ""
        print(
            f"VULNERABLE {finding.ecosystem} {finding.package} {finding.version} "
            f"{finding.id}{aliases}{extra}"
        )
    print(
        f"audit: {audit.audited} dependencies audited, {len(audit.unaudited)} not audited, "
        f"{len(unaccepted)} vulnerable, {len(accepted)} accepted, {len(expired)} expired"
    )
    failed = unaccepted or expired or problems
    if audit.unaudited and options.unaudited == "fail":
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
