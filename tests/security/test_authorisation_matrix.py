"""The authorisation matrix as a test artefact (issue 13, point 5).

Every principal (the seven roles of ``forces.roles``, force-scoped ones held at the Met, plus an
anonymous visitor and a signed-in user with no role) is tried against every admin address the
platform adds, pointed at objects of another force (Thames Valley): force settings, public
reports (list, detail, CSV, resend, erase, evidence), promoted search results, localise and
revert, and the moderation approve/reject of a page in review. Guessed ids (neighbours of the
Met's own ids, ids past the end) and another force's reference in search boxes are tried too.

A leak is any of: a Thames Valley sentinel in a response; a 200 from a view of one Thames
Valley object; a redirect to an evidence file; any change in the database after a POST. The
matrix size and the leak count are printed; the test asserts there are no leaks. The per-role
page, image and document screens are covered by ``tests/forces/test_permissions.py``, whose
``build_force`` builds the pages in review here.
"""

import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page, TaskState

import pytest

from forces.models import Force
from forces.national import syndication
from forces.roles import (
    FORCE_ADMIN,
    FORCE_EDITOR,
    FORCE_MODERATOR,
    REPORT_HANDLER,
    ROLES,
)
from reporting.evidence import private_storage
from reporting.models import Delivery, DeliveryChannel, DeliveryStatus, Evidence, Submission
from search.models import PromotedResult
from tests.factories import ContentPageFactory, build_force, settings_form

pytestmark = pytest.mark.django_db

FORCE_SCOPED = {FORCE_EDITOR, FORCE_MODERATOR, FORCE_ADMIN, REPORT_HANDLER}
PRINCIPALS = [*ROLES, "no-role", "anonymous"]
REFUSED = {302, 403, 404, 405}

TVP_REFERENCE = "TVP-RTI-LEAK42"
TVP_ANSWER = "TVP-ANSWER-SECRET"
TVP_EVIDENCE_BYTES = b"TVP-EVIDENCE-SECRET"
TVP_ADDRESS = "TVP-SETTINGS-SECRET, Kidlington"
TVP_PROMOTION = "tvp-promotion-secret"


def report(force, reference, answer, evidence_bytes=None):
    """A delivered report of ``force`` (as ``reporting.submissions.submit`` leaves one), with an
    evidence file in private storage if ``evidence_bytes`` is given."""
    draft_key = uuid.uuid4()
    submission = Submission.objects.create(
        reference=reference,
        force=force,
        journey_slug="report-a-road-traffic-incident",
        journey_title="Report a road traffic incident",
        journey_code="RTI",
        revision_number=1,
        language="en",
        submitted_at=timezone.now(),
        draft_key=draft_key,
        answers=[
            {
                "step_id": "details",
                "question_id": "what-happened",
                "label": "What happened",
                "type": "long-text",
                "value": answer,
                "display": answer,
            }
        ],
        contact={"name": "Ada Reporter", "email": "ada@example.com"},
        delivery_status=DeliveryStatus.FAILED,
    )
    Delivery.objects.create(
        submission=submission, channel=DeliveryChannel.WEBHOOK, status=DeliveryStatus.FAILED
    )
    evidence = None
    if evidence_bytes:
        evidence = Evidence(
            draft_key=draft_key,
            question_id="dashcam",
            original_name="tvp-dashcam.jpg",
            content_type="image/jpeg",
            size=len(evidence_bytes),
            sha256="0" * 64,
            submission=submission,
        )
        evidence.file.name = private_storage().save(
            f"evidence/{draft_key}/{evidence.pk}", ContentFile(evidence_bytes)
        )
        evidence.save()
    return submission, evidence


def tvp_copy_of(national_page, tvp):
    """Thames Valley's alias of ``national_page`` (made when the national page was created)."""
    home = tvp.site.root_page
    return Page.objects.get(alias_of=national_page, path__startswith=home.path)


@dataclass
class Probe:
    """One admin address tried by every principal."""

    label: str
    url: str
    method: str = "get"
    data: dict = field(default_factory=dict)
    one_object: bool = True  # a view of one Thames Valley object: any 200 is a leak
    echo: str = ""  # what the requester typed, which the page may repeat back (not a leak)


def state_of_thames_valley(world):
    """Everything a POST of the matrix could change, to compare before and after each one."""
    tvp = Force.objects.get(pk=world.tvp.pk)
    submission = Submission.objects.filter(pk=world.report.pk).first()
    task_state = TaskState.objects.get(pk=world.pages.task_state.pk)
    return {
        "force": (tvp.name, tvp.address, tvp.email),
        "forces": Force.objects.count(),
        "report": submission
        and (submission.reference, submission.answers, submission.delivery_status),
        "deliveries": list(
            Delivery.objects.filter(submission_id=world.report.pk).values_list("status", "attempts")
        ),
        "evidence": Evidence.objects.filter(pk=world.evidence.pk).exists(),
        "promotion": list(
            PromotedResult.objects.filter(pk=world.promotion.pk).values_list(
                "query_string", "force_id", "page_id"
            )
        ),
        "task": (task_state.status, Page.objects.get(pk=world.pages.draft.pk).live),
        "alias": Page.objects.get(pk=world.alias.pk).alias_of_id,
        "localised": Page.objects.get(pk=world.localised.pk).alias_of_id,
    }


def probes(world):
    """The matrix's addresses, all aimed at Thames Valley (directly or by guessing)."""
    tvp, met = world.tvp, world.met
    report_pk, evidence_pk = world.report.pk, world.evidence.pk
    promo_pk, page = world.promotion.pk, world.pages
    force_ids = sorted(
        {tvp.pk, met.pk - 1, met.pk + 1, Force.objects.order_by("-pk")[0].pk + 1} - {met.pk}
    )
    promo_ids = sorted(
        {promo_pk, world.met_promotion.pk + 1, promo_pk + 1} - {world.met_promotion.pk}
    )
    found = []
    for pk in force_ids:
        found += [
            Probe(f"force settings edit #{pk}", reverse("force_settings:edit", args=[pk])),
            Probe(
                f"force settings edit POST #{pk}",
                reverse("force_settings:edit", args=[pk]),
                "post",
                # The whole form, valid, so only the scoping stands in the way.
                settings_form(tvp, name="Hijacked Police", address="Hijacked"),
            ),
            Probe(f"force settings delete #{pk}", reverse("force_settings:delete", args=[pk])),
            Probe(
                f"force settings delete POST #{pk}",
                reverse("force_settings:delete", args=[pk]),
                "post",
            ),
            Probe(f"force settings history #{pk}", reverse("force_settings:history", args=[pk])),
            Probe(f"force settings usage #{pk}", reverse("force_settings:usage", args=[pk])),
        ]
    found += [
        Probe("force settings index", reverse("force_settings:index"), one_object=False),
        # Reports: the list and CSV, searched and filtered by another force's reference/slug.
        Probe("reports index", reverse("handled_reports:index"), one_object=False),
        Probe(
            "reports index ?q=reference",
            reverse("handled_reports:index") + f"?q={TVP_REFERENCE}",
            one_object=False,
            echo=TVP_REFERENCE,
        ),
        Probe(
            "reports index ?force=thames-valley",
            reverse("handled_reports:index") + f"?force={tvp.slug}",
            one_object=False,
        ),
        Probe(
            "reports results ?q=reference",
            reverse("handled_reports:index_results") + f"?q={TVP_REFERENCE}",
            one_object=False,
            echo=TVP_REFERENCE,
        ),
        Probe("reports CSV", reverse("handled_reports:export"), one_object=False),
        Probe(
            "reports CSV ?force=thames-valley",
            reverse("handled_reports:export") + f"?force={tvp.slug}",
            one_object=False,
        ),
        Probe("access records", reverse("handled_reports:audit"), one_object=False),
        Probe("report detail", reverse("handled_reports:detail", args=[report_pk])),
        Probe("report resend", reverse("handled_reports:resend", args=[report_pk])),
        Probe("report resend POST", reverse("handled_reports:resend", args=[report_pk]), "post"),
        Probe("report erase", reverse("handled_reports:erase", args=[report_pk])),
        Probe("report erase POST", reverse("handled_reports:erase", args=[report_pk]), "post"),
        Probe(
            "report evidence",
            reverse("handled_reports:evidence", args=[report_pk, evidence_pk]),
        ),
        # IDOR: the Met's own report with Thames Valley's evidence id.
        Probe(
            "Met report + TVP evidence",
            reverse("handled_reports:evidence", args=[world.met_report.pk, evidence_pk]),
        ),
        Probe(
            "report guessed uuid",
            reverse("handled_reports:detail", args=[uuid.UUID(int=report_pk.int + 1)]),
        ),
        # Search promotions.
        Probe("promotions index", reverse("promoted_results:index"), one_object=False),
        Probe(
            "promotions results ?q=",
            reverse("promoted_results:index_results") + f"?q={TVP_PROMOTION}",
            one_object=False,
            echo=TVP_PROMOTION,
        ),
        Probe("popular searches", reverse("search_popular_searches"), one_object=False),
        Probe("translations report", "/admin/localize/reports/translations/", one_object=False),
        Probe("page types usage", "/admin/reports/page-types-usage/", one_object=False),
    ]
    for pk in promo_ids:
        found += [
            Probe(f"promotion edit #{pk}", reverse("promoted_results:edit", args=[pk])),
            Probe(
                f"promotion edit POST #{pk}",
                reverse("promoted_results:edit", args=[pk]),
                "post",
                {
                    "query_string": "hijacked",
                    "force": str(met.pk),
                    "page": str(world.met_page.pk),
                    "sort_order": "0",
                },
            ),
            Probe(f"promotion delete #{pk}", reverse("promoted_results:delete", args=[pk])),
            Probe(
                f"promotion delete POST #{pk}",
                reverse("promoted_results:delete", args=[pk]),
                "post",
            ),
            Probe(f"promotion history #{pk}", reverse("promoted_results:history", args=[pk])),
            Probe(f"promotion usage #{pk}", reverse("promoted_results:usage", args=[pk])),
        ]
    # Localise and revert Thames Valley's pages.
    for name, target in (("localise", world.alias), ("revert", world.localised)):
        url = reverse(f"forces_syndication:{name}", args=[target.pk])
        found += [Probe(name, url), Probe(f"{name} POST", url, "post")]
    # Approve or reject Thames Valley's page in moderation (Wagtail's workflow actions).
    for action in ("approve", "reject"):
        url = reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.draft.pk, action, page.task_state.pk],
        )
        found += [
            Probe(f"workflow {action}", url),
            Probe(f"workflow {action} POST", url, "post", {"comment": "Looks fine to me."}),
        ]
    return found


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.fixture
def world(forces, make_user):
    """Thames Valley's objects (and the Met's, for guessed neighbours) and one user per role."""
    met, tvp = forces["met"], forces["thames-valley"]
    Force.objects.filter(pk=tvp.pk).update(address=TVP_ADDRESS, email="tvp-secret@example.com")
    pages = build_force(
        tvp,
        "TVP",
        make_user("tvp-author", FORCE_EDITOR, tvp),
        make_user("tvp-boss", FORCE_MODERATOR, tvp),
    )
    met_page = ContentPageFactory(parent=met.site.root_page, title="Met burglary advice")
    met_promotion = PromotedResult.objects.create(query_string="met only", force=met, page=met_page)
    promotion = PromotedResult.objects.create(
        query_string=TVP_PROMOTION, force=tvp, page=pages.live
    )
    tvp_report, evidence = report(tvp, TVP_REFERENCE, TVP_ANSWER, TVP_EVIDENCE_BYTES)
    met_report, _ = report(met, "MPS-RTI-OWN001", "Met's own answer")

    root = syndication.national_root()
    to_localise = ContentPageFactory(parent=root, title="Matrix alias", slug="matrix-alias")
    to_revert = ContentPageFactory(parent=root, title="Matrix localised", slug="matrix-localised")
    localised = tvp_copy_of(to_revert, tvp)
    syndication.localise(localised.specific, pages.author)

    users = {"anonymous": AnonymousUser(), "no-role": make_user("matrix-nobody")}
    for name in ROLES:
        users[name] = make_user(f"matrix-{name}", name, met if name in FORCE_SCOPED else None)

    class World:
        pass

    world = World()
    world.__dict__.update(
        met=met,
        tvp=tvp,
        pages=pages,
        met_page=met_page,
        promotion=promotion,
        met_promotion=met_promotion,
        report=tvp_report,
        evidence=evidence,
        met_report=met_report,
        alias=tvp_copy_of(to_localise, tvp),
        localised=localised,
        users=users,
        secrets=[
            TVP_REFERENCE,
            TVP_ANSWER,
            TVP_EVIDENCE_BYTES.decode(),
            TVP_ADDRESS,
            "tvp-secret@example.com",
            TVP_PROMOTION,
            *pages.secrets,
        ],
    )
    return world


def leak_of(response, probe, secrets):
    """Why ``response`` leaks Thames Valley's data, or ``None``."""
    body = body_of(response)
    if probe.echo:
        # The search box and the sort/page/export links repeat the query, not a report.
        body = body.replace(f"q={probe.echo}", "").replace(f'value="{probe.echo}"', "")
    shown = [secret for secret in secrets if secret in body]
    if shown:
        return f"shows {shown}"
    location = response.get("Location", "")
    if response.status_code == 302 and "/report-files/" in location:
        return f"redirects to a file: {location}"
    if probe.one_object and response.status_code not in REFUSED:
        return f"answers {response.status_code}"
    if not probe.one_object and response.status_code not in {200, *REFUSED}:
        return f"answers {response.status_code}"
    return None


def test_no_role_reaches_another_forces_objects(client, world):
    matrix = probes(world)
    leaks, tried = [], 0
    for principal in PRINCIPALS:
        client.logout()
        if principal != "anonymous":
            client.force_login(world.users[principal])
        for probe in matrix:
            before = state_of_thames_valley(world) if probe.method == "post" else None
            response = getattr(client, probe.method)(probe.url, probe.data)
            tried += 1
            reason = leak_of(response, probe, world.secrets)
            if before is not None and state_of_thames_valley(world) != before:
                reason = (reason + "; " if reason else "") + "changed the database"
            if reason:
                leaks.append(f"{principal} {probe.method.upper()} {probe.label}: {reason}")
    print(
        f"\nauthorisation matrix: {len(PRINCIPALS)} principals x {len(matrix)} address/method "
        f"pairs = {tried} requests; leaks: {len(leaks)}"
    )
    assert tried == len(PRINCIPALS) * len(matrix)
    assert not leaks, "\n".join(leaks)


def test_the_matrix_sees_what_the_roles_may_see(client, world, make_user):
    """Control: the same probes aimed at the Met's own objects do answer its staff, so a refusal
    above is the protection at work, not a broken address."""
    client.force_login(world.users[REPORT_HANDLER])
    detail = client.get(reverse("handled_reports:detail", args=[world.met_report.pk]))
    assert detail.status_code == 200 and "MPS-RTI-OWN001" in body_of(detail)

    client.force_login(world.users[FORCE_ADMIN])
    edit = client.get(reverse("force_settings:edit", args=[world.met.pk]))
    assert edit.status_code == 200 and world.met.name in body_of(edit)

    client.force_login(world.users[FORCE_EDITOR])
    promotion = client.get(reverse("promoted_results:edit", args=[world.met_promotion.pk]))
    assert promotion.status_code == 200 and "met only" in body_of(promotion)

    # Thames Valley's own handler sees the report the matrix hid from everyone at the Met.
    client.force_login(make_user("tvp-handler", REPORT_HANDLER, world.tvp))
    tvp_detail = client.get(reverse("handled_reports:detail", args=[world.report.pk]))
    assert tvp_detail.status_code == 200 and TVP_REFERENCE in body_of(tvp_detail)
