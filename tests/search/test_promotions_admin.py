"""Who manages promoted search results in the admin: national editors the national ones, a
force's editors only their own force's; nobody sees or changes another force's."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from forces.national.syndication import national_root
from search.models import PromotedResult
from tests.factories import ContentPageFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"promoted_results:{name}", args=args)


def form(query="burglary", force=None, page=None, **fields):
    return {
        "query_string": query,
        "force": str(force.pk) if force else "",
        "page": str(page.pk) if page else "",
        "external_link_url": "",
        "external_link_text": "",
        "description": "",
        "sort_order": "0",
        **fields,
    }


@pytest.fixture
def pages(forces):
    """A national page and each force's own page."""
    found = {"national": ContentPageFactory(parent=national_root(), title="Burglary advice")}
    for slug, force in forces.items():
        found[slug] = ContentPageFactory(parent=force.site.root_page, title=f"{slug} burglary")
    return found


@pytest.fixture
def promotions(forces, pages):
    """One promotion each: national, and for each force."""
    found = {
        "national": PromotedResult.objects.create(query_string="national", page=pages["national"])
    }
    for slug, force in forces.items():
        found[slug] = PromotedResult.objects.create(
            query_string=f"{slug} only", force=force, page=pages[slug]
        )
    return found


@pytest.fixture
def tvp_editor(client, make_user, forces):
    client.force_login(make_user("tvp-editor", "force-editor", forces["thames-valley"]))
    return client


@pytest.fixture
def national_editor(client, make_user):
    client.force_login(make_user("national-editor", "national-editor"))
    return client


def test_a_force_editor_sees_only_their_forces_promotions(tvp_editor, promotions):
    response = tvp_editor.get(url("index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "thames-valley only" in html
    assert "met only" not in html and "hampshire only" not in html
    assert url("edit", promotions["thames-valley"].pk) in html
    for other in ("met", "hampshire", "national"):
        assert url("edit", promotions[other].pk) not in html


def test_a_force_editor_cannot_open_or_delete_another_forces_or_national_promotions(
    tvp_editor, promotions
):
    for other in ("met", "national"):
        pk = promotions[other].pk
        assert tvp_editor.get(url("edit", pk)).status_code == 404
        assert tvp_editor.post(url("edit", pk), form("taken over")).status_code == 404
        assert tvp_editor.get(url("delete", pk)).status_code == 404
        assert tvp_editor.post(url("delete", pk)).status_code == 404
        assert tvp_editor.get(url("history", pk)).status_code == 404
    assert PromotedResult.objects.count() == 4
    assert not PromotedResult.objects.filter(query_string="taken over").exists()


def test_a_force_editor_promotes_their_own_and_national_pages_on_their_site(
    tvp_editor, forces, pages
):
    tvp = forces["thames-valley"]
    response = tvp_editor.post(url("add"), form("Burglary ", tvp, pages["thames-valley"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    response = tvp_editor.post(url("add"), form("scams", tvp, pages["national"]))
    assert response.status_code == 302
    created = PromotedResult.objects.order_by("pk")
    assert [(p.query_string, p.force, p.page) for p in created] == [
        ("burglary", tvp, pages["thames-valley"].page_ptr),
        ("scams", tvp, pages["national"].page_ptr),
    ]
    # Every change is in the audit log.
    assert (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(PromotedResult), action="wagtail.create"
        ).count()
        == 2
    )


def test_a_force_editor_cannot_promote_for_another_force_or_nationally(tvp_editor, forces, pages):
    tvp = forces["thames-valley"]
    refused = [
        form(force=forces["met"], page=pages["met"]),  # another force
        form(force=None, page=pages["national"]),  # every site
        form(force=tvp, page=pages["met"]),  # another force's page on their own site
    ]
    for data in refused:
        response = tvp_editor.post(url("add"), data)
        assert response.status_code == 200
        assert "error" in response.content.decode()
    assert not PromotedResult.objects.exists()


def test_a_force_editor_edits_their_own_promotion(tvp_editor, forces, promotions, pages):
    own = promotions["thames-valley"]
    assert tvp_editor.get(url("edit", own.pk)).status_code == 200
    data = form("burglary help", forces["thames-valley"], pages["thames-valley"])
    assert tvp_editor.post(url("edit", own.pk), data).status_code == 302
    own.refresh_from_db()
    assert own.query_string == "burglary help"
    assert tvp_editor.post(url("delete", own.pk)).status_code == 302
    assert not PromotedResult.objects.filter(pk=own.pk).exists()


def test_a_national_editor_manages_national_promotions_only(
    national_editor, forces, pages, promotions
):
    html = national_editor.get(url("index")).content.decode()
    assert url("edit", promotions["national"].pk) in html
    assert "thames-valley only" not in html and "met only" not in html
    response = national_editor.post(url("add"), form("burglary", None, pages["national"]))
    assert response.status_code == 302
    assert PromotedResult.objects.filter(query_string="burglary", force=None).exists()
    # Not a force's: neither for a force nor a force's page.
    response = national_editor.post(url("add"), form("fraud", forces["met"], pages["met"]))
    assert response.status_code == 200
    response = national_editor.post(url("add"), form("fraud", None, pages["met"]))
    assert response.status_code == 200
    assert not PromotedResult.objects.filter(query_string="fraud").exists()
    assert national_editor.get(url("edit", promotions["met"].pk)).status_code == 404


def test_an_external_link_needs_its_text_and_no_page(national_editor, pages):
    link = {"external_link_url": "https://www.actionfraud.police.uk/"}
    response = national_editor.post(url("add"), form("fraud", **link))
    assert response.status_code == 200
    assert "Enter the text of the link." in response.content.decode()
    response = national_editor.post(url("add"), form("fraud", page=pages["national"], **link))
    assert "not both" in response.content.decode()
    response = national_editor.post(
        url("add"), form("fraud", external_link_text="Action Fraud", **link)
    )
    assert response.status_code == 302
    assert PromotedResult.objects.get().external_link_text == "Action Fraud"


@pytest.mark.parametrize("role", ["report-handler", "national-approver-mps", None])
def test_others_cannot_manage_promotions(client, make_user, forces, role, promotions):
    force = forces["thames-valley"] if role == "report-handler" else None
    user = make_user("someone", role, force)
    if role is None:
        user.user_permissions.add(*_admin_access())
    client.force_login(user)
    for response in (
        client.get(url("index")),
        client.get(url("add")),
        client.post(url("add"), form()),
        client.get(url("edit", promotions["thames-valley"].pk)),
    ):
        assert response.status_code in (302, 403, 404)
    assert PromotedResult.objects.count() == 4
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url("index") not in menu


def test_the_settings_menu_offers_the_platforms_promotions_screen(
    client, make_user, forces, tvp_editor
):
    html = tvp_editor.get(reverse("wagtailadmin_home")).content.decode()
    assert url("index") in html
    client.force_login(make_user("admin", is_superuser=True, is_staff=True))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url("index") in html
    # Wagtail's own screen, which knows nothing of forces, is not offered, nor its report.
    assert reverse("wagtailsearchpromotions:index") not in html
    assert reverse("wagtailsearchpromotions:search_terms") not in html


def _admin_access():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
