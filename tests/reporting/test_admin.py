"""The report handlers' admin, through HTTP: list, filters, detail, CSV export, resend, erasure,
evidence downloads, access records; isolation between forces at every address."""

import csv
import io
import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from forces.roles import FORCE_EDITOR, REPORT_HANDLER
from reporting.evidence import private_storage
from reporting.models import (
    AccessAction,
    Delivery,
    DeliveryAttempt,
    DeliveryChannel,
    DeliveryStatus,
    Evidence,
    ReportAccessRecord,
    Submission,
)

RTI = ("report-a-road-traffic-incident", "Report a road traffic incident", "RTI")
ASB = ("report-antisocial-behaviour", "Report antisocial behaviour", "ASB")
CANARY = "Canary-Answer-7Q"


def row(question_id, label, value, display=None, type_="text", step_id="details"):
    return {
        "step_id": step_id,
        "question_id": question_id,
        "label": label,
        "type": type_,
        "value": value,
        "display": display if display is not None else str(value),
    }


def rti_answers(evidence=()):
    vehicles = [
        [row("registration", "Registration", "AB12 CDE", step_id="vehicles")],
        [row("registration", "Registration", "XY34 ZZZ", step_id="vehicles")],
    ]
    answers = [
        row("incident-date", "Date of the incident", "2026-11-25", "25 November 2026", "date"),
        {**row("vehicles", "Vehicle", vehicles, "2 vehicles", "group"), "step_id": "vehicles"},
        row("what-happened", "What happened", CANARY, type_="long-text"),
        row("injuries", "Comments", '=HYPERLINK("http://evil.example","x")', type_="long-text"),
    ]
    if evidence:
        files = [
            {
                "evidence_id": str(item.pk),
                "filename": item.original_name,
                "content_type": item.content_type,
                "size": item.size,
            }
            for item in evidence
        ]
        answers.append(
            row(
                "dashcam",
                "Dashcam footage",
                files,
                ", ".join(f["filename"] for f in files),
                "evidence",
            )
        )
    return answers


@pytest.fixture
def make_report(forces):
    """Create a submission as ``reporting.submissions.submit`` would leave it."""

    def make(
        force_slug,
        reference,
        journey=RTI,
        status=DeliveryStatus.DELIVERED,
        submitted_at=None,
        answers=None,
        files=(),
        language="en",
    ):
        draft_key = uuid.uuid4()
        evidence = []
        for name, content in files:
            item = Evidence(
                draft_key=draft_key,
                question_id="dashcam",
                original_name=name,
                content_type="image/jpeg",
                size=len(content),
                sha256="0" * 64,
            )
            # Straight to private storage (as reporting.evidence.save_evidence stores it).
            item.file.name = private_storage().save(
                f"evidence/{draft_key}/{item.pk}", ContentFile(content)
            )
            evidence.append(item)
        submission = Submission.objects.create(
            reference=reference,
            force=forces[force_slug],
            journey_slug=journey[0],
            journey_title=journey[1],
            journey_code=journey[2],
            revision_number=7,
            language=language,
            submitted_at=submitted_at or timezone.now(),
            draft_key=draft_key,
            answers=answers if answers is not None else rti_answers(evidence),
            contact={"name": "Ada Reporter", "email": "ada@example.com", "phone": "+447700900123"},
            delivery_status=status,
        )
        for item in evidence:
            item.submission = submission
            item.save()
        return submission

    return make


@pytest.fixture
def tvp_handler(make_user, forces):
    return make_user("tvp-handler", REPORT_HANDLER, forces["thames-valley"])


@pytest.fixture
def hiow_handler(make_user, forces):
    return make_user("hiow-handler", REPORT_HANDLER, forces["hampshire"])


@pytest.fixture
def tvp(client, tvp_handler):
    client.force_login(tvp_handler)
    return client


@pytest.fixture
def reports(make_report):
    """A Thames Valley report with evidence and deliveries, and a Hampshire one."""
    tvp_report = make_report(
        "thames-valley", "TVP-RTI-ABC234", files=[("dashcam-front.jpg", b"\xff\xd8\xff jpeg")]
    )
    webhook = Delivery.objects.create(
        submission=tvp_report,
        channel=DeliveryChannel.WEBHOOK,
        status=DeliveryStatus.DELIVERED,
        attempts=2,
        delivered_at=timezone.now(),
    )
    DeliveryAttempt.objects.create(
        delivery=webhook, started_at=timezone.now(), status_code=503, error="HTTP 503"
    )
    DeliveryAttempt.objects.create(
        delivery=webhook, started_at=timezone.now(), status_code=200, succeeded=True
    )
    hiow_report = make_report(
        "hampshire", "HIOW-RTI-XYZ789", files=[("hampshire-secret.jpg", b"\xff\xd8\xff jpeg")]
    )
    return tvp_report, hiow_report


def admin_url(view, *args):
    return reverse(f"handled_reports:{view}", args=args)


def text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def table_of(response):
    return text(response).split("<tbody>")[1].split("</tbody>")[0]


def records(**filters):
    return list(ReportAccessRecord.objects.filter(**filters))


# --- list -------------------------------------------------------------------------------------


def test_menu_item_is_shown_to_handlers_only(client, tvp_handler, make_user, forces):
    client.force_login(tvp_handler)
    assert admin_url("index") in text(client.get(reverse("wagtailadmin_home")))

    client.force_login(make_user("tvp-editor", FORCE_EDITOR, forces["thames-valley"]))
    assert admin_url("index") not in text(client.get(reverse("wagtailadmin_home")))


def test_list_shows_own_forces_reports_newest_first(tvp, reports, make_report):
    make_report("thames-valley", "TVP-RTI-OLD222", submitted_at=timezone.now() - timedelta(days=3))
    response = tvp.get(admin_url("index"))

    assert response.status_code == 200
    body = text(response)
    assert body.index("TVP-RTI-ABC234") < body.index("TVP-RTI-OLD222")
    assert "HIOW-RTI-XYZ789" not in body
    assert "Report a road traffic incident" in body
    assert CANARY not in body
    assert "Thames Valley Police" not in body  # one force: no force column
    assert admin_url("detail", reports[0].pk) in body
    assert "no-store" in response["Cache-Control"]
    # Looking at the list is not recorded; views, exports and the like are.
    assert not records(action=AccessAction.LIST)


def test_list_is_paginated(tvp, make_report):
    now = timezone.now()
    for number in range(52):
        make_report(
            "thames-valley", f"TVP-RTI-P{number:05d}", submitted_at=now - timedelta(minutes=number)
        )

    first = text(tvp.get(admin_url("index")))
    second = text(tvp.get(admin_url("index") + "?p=2"))

    assert "TVP-RTI-P00000" in first and "TVP-RTI-P00050" not in first
    assert "TVP-RTI-P00050" in second and "TVP-RTI-P00000" not in second


def test_filters(tvp, make_report):
    now = timezone.now()
    make_report("thames-valley", "TVP-RTI-FAIL22", status=DeliveryStatus.FAILED)
    make_report("thames-valley", "TVP-ASB-NEW222", journey=ASB)
    make_report("thames-valley", "TVP-RTI-OLD222", submitted_at=now - timedelta(days=40))

    def listed(query):
        body = text(tvp.get(admin_url("index") + query))
        return {
            ref for ref in ("TVP-RTI-FAIL22", "TVP-ASB-NEW222", "TVP-RTI-OLD222") if ref in body
        }

    assert listed("?delivery_status=failed") == {"TVP-RTI-FAIL22"}
    assert listed(f"?journey={ASB[0]}") == {"TVP-ASB-NEW222"}
    old_day = (now - timedelta(days=40)).date()
    assert listed(f"?submitted_from={old_day}&submitted_to={old_day}") == {"TVP-RTI-OLD222"}
    assert listed(f"?submitted_from={(now - timedelta(days=1)).date()}") == {
        "TVP-RTI-FAIL22",
        "TVP-ASB-NEW222",
    }
    # A date that is not one is a message in the filter, not an error page.
    assert tvp.get(admin_url("index") + "?submitted_from=31/02/2026").status_code == 200


def test_handler_of_two_forces_sees_both_and_filters_by_force(client, make_user, forces, reports):
    handler = make_user("two-force-handler", REPORT_HANDLER, forces["thames-valley"])
    from forces.permissions import role_group

    handler.groups.add(role_group(REPORT_HANDLER, forces["hampshire"]))
    client.force_login(handler)

    body = text(client.get(admin_url("index")))
    assert "TVP-RTI-ABC234" in body and "HIOW-RTI-XYZ789" in body
    assert "Hampshire and Isle of Wight Constabulary" in body  # the force column

    body = text(client.get(admin_url("index") + "?force=hampshire"))
    assert "HIOW-RTI-XYZ789" in body and "TVP-RTI-ABC234" not in body
    # Never offered a force they do not handle.
    assert "Metropolitan Police Service" not in body
    assert client.get(admin_url("index") + "?force=met").status_code == 404

    rows = list(csv.DictReader(io.StringIO(text(client.get(admin_url("export"))))))
    assert {r["Force"] for r in rows} == {
        "Thames Valley Police",
        "Hampshire and Isle of Wight Constabulary",
    }
    # One export record per force, each with that force's count.
    exports = {r.force.slug: r.count for r in records(action=AccessAction.EXPORT)}
    assert exports == {"thames-valley": 1, "hampshire": 1}


def warm_up(client):
    """One request first, as on a running server: what every admin page caches (sites,
    lookups, the user's permissions) is then in place, and a count measures the page itself."""
    assert client.get(admin_url("index")).status_code == 200


def test_list_queries_do_not_grow_with_reports(tvp, make_report, django_assert_max_num_queries):
    for number in range(3):
        make_report("thames-valley", f"TVP-RTI-Q{number:05d}")
    warm_up(tvp)
    with django_assert_max_num_queries(20) as few:
        assert tvp.get(admin_url("index")).status_code == 200
    for number in range(3, 40):
        make_report("thames-valley", f"TVP-RTI-Q{number:05d}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert tvp.get(admin_url("index")).status_code == 200


# --- detail -----------------------------------------------------------------------------------


def test_detail_shows_the_report_and_is_recorded(
    tvp, tvp_handler, reports, django_assert_max_num_queries
):
    report = reports[0]
    warm_up(tvp)
    # 25, and one for the report's status updates (tracking/).
    with django_assert_max_num_queries(26):
        response = tvp.get(admin_url("detail", report.pk))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = text(response)
    for expected in (
        "TVP-RTI-ABC234",
        "Thames Valley Police",
        "Report a road traffic incident",
        "revision 7",
        "English",
        "Ada Reporter",
        "ada@example.com",
        "+447700900123",
        "Date of the incident",
        "25 November 2026",
        CANARY,
        "Vehicle 1",
        "Vehicle 2",
        "AB12 CDE",
        "XY34 ZZZ",
        "dashcam-front.jpg",
        "image/jpeg",
        "HTTP 503",
        "503",
    ):
        assert expected in body, expected
    evidence = report.evidence.get()
    assert admin_url("evidence", report.pk, evidence.pk) in body
    assert admin_url("resend", report.pk) in body
    assert admin_url("erase", report.pk) in body
    # The page title names the reference only.
    title = body.split("<title>")[1].split("</title>")[0]
    assert "TVP-RTI-ABC234" in title and "Ada" not in title

    (record,) = records(action=AccessAction.VIEW)
    assert (record.user, record.username, record.force, record.reference, record.count) == (
        tvp_handler,
        "tvp-handler",
        report.force,
        "TVP-RTI-ABC234",
        1,
    )


def test_detail_of_an_unknown_report_is_not_found(tvp):
    assert tvp.get(admin_url("detail", uuid.uuid4())).status_code == 404
    assert tvp.get("/admin/public-reports/TVP-RTI-ABC234/").status_code == 404


# --- CSV --------------------------------------------------------------------------------------


def test_csv_export(tvp, tvp_handler, reports, make_report):
    make_report(
        "thames-valley",
        "TVP-ASB-NEW222",
        journey=ASB,
        status=DeliveryStatus.FAILED,
        answers=[row("where", "Where did it happen", "+44 the park", type_="location")],
    )
    response = tvp.get(admin_url("export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "thames-valley-reports-" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(text(response))))
    assert [r["Reference"] for r in rows] == ["TVP-ASB-NEW222", "TVP-RTI-ABC234"]
    rti = rows[1]
    assert rti["Force"] == "Thames Valley Police"
    assert rti["Journey"] == "Report a road traffic incident"
    assert rti["Delivery"] == "Delivered"
    assert rti["Language"] == "English"
    assert rti["Contact name"] == "Ada Reporter"
    assert rti["Contact phone"] == "'+447700900123"  # a leading + would start a formula
    assert rti["Vehicle 1: Registration"] == "AB12 CDE"
    assert rti["Vehicle 2: Registration"] == "XY34 ZZZ"
    assert rti["What happened"] == CANARY
    assert rti["Comments"] == '\'=HYPERLINK("http://evil.example","x")'
    assert rti["Dashcam footage"] == "dashcam-front.jpg"
    assert rti["Where did it happen"] == ""
    assert rows[0]["Where did it happen"] == "'+44 the park"
    assert rows[0]["Delivery"] == "Failed"

    (record,) = records(action=AccessAction.EXPORT)
    assert (record.user, record.force.slug, record.count, record.reference) == (
        tvp_handler,
        "thames-valley",
        2,
        "",
    )


def test_csv_export_queries_do_not_grow_with_reports(
    tvp, make_report, django_assert_max_num_queries
):
    for number in range(3):
        make_report("thames-valley", f"TVP-RTI-Q{number:05d}")
    with django_assert_max_num_queries(25) as few:
        assert len(text(tvp.get(admin_url("export"))).splitlines()) == 4
    for number in range(3, 40):
        make_report("thames-valley", f"TVP-RTI-Q{number:05d}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(text(tvp.get(admin_url("export"))).splitlines()) == 41


def test_csv_export_follows_the_filters(tvp, reports, make_report):
    make_report("thames-valley", "TVP-RTI-FAIL22", status=DeliveryStatus.FAILED)
    response = tvp.get(admin_url("export") + "?delivery_status=failed")

    rows = list(csv.DictReader(io.StringIO(text(response))))
    assert [r["Reference"] for r in rows] == ["TVP-RTI-FAIL22"]
    assert records(action=AccessAction.EXPORT)[0].count == 1


def test_csv_export_with_a_bad_filter_explains(tvp, reports):
    response = tvp.get(admin_url("export") + "?submitted_from=not-a-date", follow=True)
    assert response.status_code == 200
    assert "Check the filters" in text(response)
    assert not records(action=AccessAction.EXPORT)


def test_list_link_to_export_keeps_the_filters(tvp, reports):
    body = text(tvp.get(admin_url("index") + "?delivery_status=failed"))
    assert admin_url("export") + "?delivery_status=failed" in body


# --- evidence ---------------------------------------------------------------------------------


def test_evidence_download_is_recorded_and_redirects_to_a_short_lived_link(
    tvp, tvp_handler, reports
):
    report = reports[0]
    evidence = report.evidence.get()
    response = tvp.get(admin_url("evidence", report.pk, evidence.pk))

    assert response.status_code == 302
    assert "/report-files/evidence/" in response["Location"]
    assert "dashcam" not in response["Location"]
    assert "no-store" in response["Cache-Control"]
    (record,) = records(action=AccessAction.DOWNLOAD)
    assert (record.user, record.reference) == (tvp_handler, "TVP-RTI-ABC234")

    download = tvp.get(response["Location"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"\xff\xd8\xff jpeg"


def test_a_handlers_evidence_link_works_only_in_their_own_session(
    tvp, tvp_handler, reports, make_user, forces
):
    report = reports[0]
    link = tvp.get(admin_url("evidence", report.pk, report.evidence.get().pk))["Location"]
    other = make_user("tvp-handler-2", REPORT_HANDLER, forces["thames-valley"])
    colleague = Client()
    colleague.force_login(other)

    # Another handler of the same force, with every right to the report, cannot use the link...
    assert colleague.get(link).status_code == 404
    # ...nor can anyone without a session, nor the colleague with the user id swapped in it.
    assert Client().get(link).status_code == 404
    forged = link.replace(f":{tvp_handler.pk}:", f":{other.pk}:")
    assert forged != link
    assert colleague.get(forged).status_code == 404
    assert tvp.get(link).status_code == 200
    # Only the real download reached the file.
    assert len(records(action=AccessAction.DOWNLOAD, user=None)) == 1


def test_a_handlers_evidence_link_cannot_be_replayed_after_expiry(
    tvp, reports, settings, monkeypatch
):
    from django.core import signing

    settings.REPORT_EVIDENCE_URL_SECONDS = 60
    report = reports[0]
    link = tvp.get(admin_url("evidence", report.pk, report.evidence.get().pk))["Location"]
    assert tvp.get(link).status_code == 200
    later = signing.time.time() + 61
    monkeypatch.setattr(signing.time, "time", lambda: later)

    # Even the handler it was issued to, in the same session, must ask the admin again.
    assert tvp.get(link).status_code == 404


def test_evidence_of_another_report_is_not_found_under_ones_own(tvp, reports):
    own, other = reports
    other_evidence = other.evidence.get()
    assert tvp.get(admin_url("evidence", own.pk, other_evidence.pk)).status_code == 404
    assert not records(action=AccessAction.DOWNLOAD)


# --- resend and erase -------------------------------------------------------------------------


def test_resend_asks_first_then_queues_the_report_again(tvp, tvp_handler, reports):
    report = reports[0]
    confirm = tvp.get(admin_url("resend", report.pk))
    assert confirm.status_code == 200
    assert 'method="post"' in text(confirm)
    assert "csrfmiddlewaretoken" in text(confirm)
    assert not records(action=AccessAction.RESEND)

    response = tvp.post(admin_url("resend", report.pk))

    assert response.status_code == 302
    assert response["Location"] == admin_url("detail", report.pk)
    assert "queued to be sent again" in text(tvp.get(response["Location"]))
    (record,) = records(action=AccessAction.RESEND)
    assert (record.user, record.reference) == (tvp_handler, "TVP-RTI-ABC234")


def test_resend_and_erase_need_the_csrf_token(tvp_handler, reports):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tvp_handler)
    report = reports[0]

    assert client.post(admin_url("resend", report.pk)).status_code == 403
    assert client.post(admin_url("erase", report.pk)).status_code == 403
    assert Submission.objects.filter(pk=report.pk).exists()
    assert not records(action__in=[AccessAction.RESEND, AccessAction.ERASE])


def test_erase_asks_first_then_erases_the_report_and_its_files(
    tvp, tvp_handler, reports, django_capture_on_commit_callbacks
):
    report = reports[0]
    evidence = report.evidence.get()
    file_name = evidence.file.name
    assert private_storage().exists(file_name)

    confirm = tvp.get(admin_url("erase", report.pk))
    assert confirm.status_code == 200
    assert "cannot be undone" in text(confirm)
    assert Submission.objects.filter(pk=report.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = tvp.post(admin_url("erase", report.pk))

    assert response.status_code == 302
    assert response["Location"] == admin_url("index")
    assert not Submission.objects.filter(pk=report.pk).exists()
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not private_storage().exists(file_name)
    (record,) = records(action=AccessAction.ERASE)
    assert (record.user, record.reference, record.force.slug) == (
        tvp_handler,
        "TVP-RTI-ABC234",
        "thames-valley",
    )
    assert tvp.get(admin_url("detail", report.pk)).status_code == 404


# --- access records ---------------------------------------------------------------------------


def test_access_records_show_own_forces_and_filter_by_reference(tvp, hiow_handler, reports, client):
    tvp.get(admin_url("detail", reports[0].pk))
    tvp.get(admin_url("export"))
    other = Client()
    other.force_login(hiow_handler)
    other.get(admin_url("detail", reports[1].pk))

    body = table_of(tvp.get(admin_url("audit")))
    assert "TVP-RTI-ABC234" in body
    assert "Exported" in body and "Viewed" in body
    assert "HIOW-RTI-XYZ789" not in body and "hiow-handler" not in body

    body = table_of(tvp.get(admin_url("audit") + "?reference=tvp-rti-abc234 "))
    assert "Viewed" in body and "Exported" not in body


def test_access_records_hold_no_personal_data(tvp, reports):
    report = reports[0]
    tvp.get(admin_url("detail", report.pk))
    tvp.get(admin_url("export"))
    tvp.get(admin_url("evidence", report.pk, report.evidence.get().pk))

    for record in ReportAccessRecord.objects.all():
        stored = " ".join(str(value) for value in vars(record).values())
        for personal in ("Ada", "ada@example.com", "7700900123", CANARY, "dashcam-front"):
            assert personal not in stored


# --- isolation --------------------------------------------------------------------------------


def report_urls(report):
    evidence = report.evidence.get()
    return [
        ("get", admin_url("detail", report.pk)),
        ("get", admin_url("resend", report.pk)),
        ("post", admin_url("resend", report.pk)),
        ("get", admin_url("erase", report.pk)),
        ("post", admin_url("erase", report.pk)),
        ("get", admin_url("evidence", report.pk, evidence.pk)),
        ("get", admin_url("export") + "?force=hampshire"),
        ("get", admin_url("index") + "?force=hampshire"),
        ("get", admin_url("index_results") + "?force=hampshire"),
        ("get", admin_url("audit") + "?force=hampshire"),
    ]


def test_another_forces_report_is_not_found_at_every_address(tvp, reports):
    hiow_report = reports[1]
    for method, url in report_urls(hiow_report):
        response = getattr(tvp, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
        assert "HIOW-RTI-XYZ789" not in text(response), url
    assert Submission.objects.filter(pk=hiow_report.pk).exists()
    assert not ReportAccessRecord.objects.exists()


@pytest.mark.parametrize("role", [None, FORCE_EDITOR])
def test_users_without_the_role_are_refused_everywhere(client, make_user, forces, reports, role):
    user = make_user("not-a-handler", role, forces["thames-valley"])
    if role is None:
        # In the admin, but no role at all.
        from django.contrib.auth.models import Permission

        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    tvp_report = reports[0]
    urls = [
        ("get", admin_url("index")),
        ("get", admin_url("index_results")),
        ("get", admin_url("audit")),
        ("get", admin_url("audit_results")),
        ("get", admin_url("export")),
        *report_urls(tvp_report),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code in (302, 403), (url, response.status_code)
        if response.status_code == 302:
            assert response["Location"] == reverse("wagtailadmin_home"), url
    assert Submission.objects.count() == 2
    assert not ReportAccessRecord.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client, reports):
    response = client.get(admin_url("detail", reports[0].pk))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_superusers_see_every_force(client, make_user, reports):
    client.force_login(make_user("root", is_superuser=True))
    body = text(client.get(admin_url("index")))
    assert "TVP-RTI-ABC234" in body and "HIOW-RTI-XYZ789" in body
    assert client.get(admin_url("detail", reports[1].pk)).status_code == 200
