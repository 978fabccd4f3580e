"""Onboarding: idempotent, complete, all 43 forces from the CSV, bad input leaves nothing."""

import html
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import translation

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
)

import pytest

from forces.models import Force, RoleGroup
from forces.roles import FORCE_ROLES, REPORT_HANDLER
from home.models import ContactPage, ForceHomePage, NewsIndexPage, SectionPage
from reporting.models import ReportHubPage

pytestmark = pytest.mark.django_db

CSV = Path(settings.BASE_DIR) / "forces" / "data" / "forces.csv"
MODELS = [
    Force,
    Site,
    Page,
    Collection,
    Group,
    RoleGroup,
    GroupPagePermission,
    GroupCollectionPermission,
    Workflow,
    GroupApprovalTask,
    WorkflowPage,
    Locale,
]


def snapshot():
    """Row counts and page state of everything onboarding writes."""
    counts = {model.__name__: model.objects.count() for model in MODELS}
    pages = list(Page.objects.order_by("pk").values_list("pk", "path", "title", "live"))
    forces = list(Force.objects.order_by("pk").values())
    sites = list(Site.objects.order_by("pk").values())
    return counts, pages, forces, sites


def onboard(*args):
    out = StringIO()
    call_command("onboard_force", *args, stdout=out)
    return out.getvalue()


KENT = ["kent", "--name", "Kent Police", "--hostname", "kent.localhost", "--short-name", "KENT"]


def test_onboarding_creates_everything_a_force_needs():
    output = onboard(*KENT, "--primary-colour", "#1d3f77")
    assert "Kent Police" in output and "created" in output

    force = Force.objects.select_related("site").get(slug="kent")
    assert force.site.hostname == "kent.localhost"
    assert force.primary_colour == "#1d3f77"
    home = force.site.root_page.specific
    assert isinstance(home, ForceHomePage) and home.live
    children = {page.slug: page.specific_class for page in home.get_children()}
    assert children["news"] is NewsIndexPage
    assert children["contact-us"] is ContactPage
    assert {"report", "advice", "accessibility-statement"} <= set(children)
    # The report hub and the advice library are the force's copies of the national ones, first.
    assert children["report"] is ReportHubPage and children["advice"] is SectionPage
    assert list(children)[:2] == ["report", "advice"]
    assert home.get_children().get(slug="report").alias_of_id is not None
    assert force.collection.name == "Kent Police"

    groups = RoleGroup.objects.filter(force=force)
    assert sorted(groups.values_list("role", flat=True)) == sorted(FORCE_ROLES)
    editor = groups.get(role="force-editor").group
    assert set(
        GroupPagePermission.objects.filter(group=editor).values_list(
            "permission__codename", flat=True
        )
    ) == {"add_page", "change_page"}
    assert set(GroupPagePermission.objects.filter(group=editor).values_list("page", flat=True)) == {
        home.pk
    }
    moderator = groups.get(role="force-moderator").group
    assert GroupPagePermission.objects.filter(
        group=moderator, permission__codename="publish_page"
    ).exists()
    assert GroupCollectionPermission.objects.filter(
        group=editor, collection=force.collection, permission__codename="add_image"
    ).exists()

    workflow = WorkflowPage.objects.get(page=home).workflow
    task = GroupApprovalTask.objects.get(workflow_tasks__workflow=workflow)
    assert list(task.groups.all()) == [moderator]
    assert home.get_workflow() == workflow


def test_report_handlers_get_the_admin_and_no_page_or_media_permissions():
    onboard(*KENT)
    group = RoleGroup.objects.get(force__slug="kent", role=REPORT_HANDLER).group
    assert list(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("wagtailadmin", "access_admin")
    ]
    assert not GroupPagePermission.objects.filter(group=group).exists()
    assert not GroupCollectionPermission.objects.filter(group=group).exists()


def test_second_run_changes_nothing():
    onboard(*KENT)
    before = snapshot()
    output = onboard(*KENT)
    assert "unchanged" in output
    assert snapshot() == before


def test_run_with_new_options_updates_only_what_they_cover():
    onboard(*KENT)
    home = Force.objects.get(slug="kent").site.root_page.specific
    home.title = "Edited by Kent's editors"
    home.save_revision().publish()

    output = onboard(
        "kent",
        "--name",
        "Kent Police",
        "--hostname",
        "www.kent.localhost",
        "--primary-colour",
        "#4b2a6b",
        "--languages",
        "en,cy",
    )
    force = Force.objects.select_related("site").get(slug="kent")
    assert "updated" in output
    assert force.site.hostname == "www.kent.localhost"
    assert force.primary_colour == "#4b2a6b"
    assert force.language_codes == ["en", "cy"]
    assert Locale.objects.filter(language_code="cy").exists()
    # Editors' content is theirs: onboarding does not overwrite it.
    assert force.site.root_page.title == "Edited by Kent's editors"


def test_renaming_a_force_renames_its_groups_collection_and_workflow():
    onboard(*KENT)
    onboard("kent", "--name", "Kent Constabulary", "--hostname", "kent.localhost")
    force = Force.objects.get(slug="kent")
    assert force.collection.name == "Kent Constabulary"
    assert all(
        group.name.startswith("Kent Constabulary:")
        for group in Group.objects.filter(role__force=force)
    )
    assert WorkflowPage.objects.get(page=force.site.root_page).workflow.name.startswith(
        "Kent Constabulary"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bad_Slug", "--name", "Bad", "--hostname", "bad.localhost"], "not a valid force slug"),
        (["kent", "--name", "Kent", "--hostname", "http://kent"], "not a valid hostname"),
        (["kent", "--name", "Kent", "--hostname", "met.localhost"], "already used by Metropolitan"),
        (["kent", "--name", "Kent", "--hostname", "localhost"], "already used by the national hub"),
        (
            ["kent", "--name", "Kent", "--hostname", "kent.localhost", "--primary-colour", "red"],
            "Enter a colour",
        ),
        (
            [*KENT, "--primary-colour", "#ffdd00"],
            "too light",
        ),
        ([*KENT, "--secondary-colour", "#12345"], "Enter a colour"),
        ([*KENT, "--languages", "en,fr"], "Unknown language fr"),
        ([*KENT, "--languages", "cy,en"], "must start with en"),
        (
            ["kent", "--name", "Thames Valley Police", "--hostname", "kent.localhost"],
            "already called Thames Valley Police",
        ),
        (["kent", "--hostname", "kent.localhost"], "needs --name"),
        (["--name", "Kent"], "Give a force slug"),
        ([*KENT, "--port", "70000"], "port must be between"),
    ],
)
def test_bad_input_is_rejected_and_leaves_nothing(args, message):
    before = snapshot()
    with pytest.raises(CommandError) as error:
        onboard(*args)
    assert message in str(error.value)
    assert snapshot() == before


def test_a_failure_part_way_leaves_nothing(monkeypatch):
    """Everything happens in one transaction: a crash after the site exists rolls it back."""
    from forces import onboarding

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(onboarding, "_ensure_workflow", explode)
    before = snapshot()
    with pytest.raises(RuntimeError):
        onboard(*KENT)
    assert snapshot() == before


def test_all_43_forces_from_the_csv_and_again_unchanged():
    output = onboard("--from-csv", str(CSV))
    assert Force.objects.count() == 43
    assert "[43/43]" in output
    assert "40 created" in output  # the three demo forces already exist
    wales = Force.objects.get(slug="south-wales")
    assert wales.site.hostname == f"south-wales.{settings.BASE_DOMAIN}"
    assert wales.language_codes == ["en", "cy"]
    assert wales.welsh_name == "Heddlu De Cymru"
    assert Site.objects.count() == 44  # 43 forces and the hub
    colours = set(Force.objects.values_list("primary_colour", flat=True))
    assert len(colours) > 5, "forces without colours of their own should not all look alike"

    before = snapshot()
    assert "43 unchanged" in onboard("--from-csv", str(CSV))
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("slug,title\nkent,Kent Police\n", "missing the column(s) name"),
        ("slug,name\n", "has no forces"),
        ("slug,name\nkent,Kent Police\nkent,Kent Police\n", "kent is also on row 2"),
        ("slug,name\nkent,Kent Police\nBad Slug,Bad\n", "row 3 (Bad Slug)"),
        ("slug,name\nkent,Kent Police\nessex,Kent Police\n", "Kent Police is also on row 2"),
    ],
)
def test_a_bad_csv_is_rejected_whole(tmp_path, content, message):
    path = tmp_path / "forces.csv"
    path.write_text(content)
    before = snapshot()
    with pytest.raises(CommandError) as error:
        onboard("--from-csv", str(path))
    assert message in str(error.value)
    assert snapshot() == before


def test_a_missing_csv_gets_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        onboard("--from-csv", str(tmp_path / "nope.csv"))


def test_the_hub_is_bilingual_once_a_welsh_force_exists(client, forces, make_force):
    def get(host, path):
        response = client.get(path, HTTP_HOST=host)
        return response, html.unescape(response.content.decode())

    assert get("localhost", "/cy/")[0].status_code == 404
    assert get("thames-valley.localhost", "/cy/news/")[0].status_code == 404
    assert 'hreflang="cy"' not in get("localhost", "/")[1]
    gwent = make_force("gwent", "Gwent Police", country="wales", welsh_name="Heddlu Gwent")
    assert gwent.languages == "en,cy"
    try:
        response, page = get("localhost", "/cy/")
        assert response.status_code == 200
        with translation.override("cy"):
            assert "Gwefannau’r heddlu yng Nghymru a Lloegr" in page
    finally:
        translation.activate("en")  # the language the Welsh hub page left active
