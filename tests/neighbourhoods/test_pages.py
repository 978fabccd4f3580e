"""The /your-area/ and neighbourhood pages over HTTP: what they show, who may edit them, the
API, and Welsh."""

import datetime
import html

from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from forces.roles import FORCE_EDITOR, FORCE_MODERATOR
from home.models import ForceHomePage, NewsIndexPage, NewsPage
from home.site_context import invalidate_site_chrome
from neighbourhoods.models import (
    NeighbourhoodIndexPage,
    NeighbourhoodPage,
    NewsNeighbourhood,
    PostcodeArea,
)
from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db

TVP = "thames-valley.localhost"


def text_of(response):
    return html.unescape(response.content.decode())


def days(count):
    return timezone.localdate() + datetime.timedelta(days=count)


@pytest.fixture
def reading(forces, make_neighbourhood):
    return make_neighbourhood(
        forces["thames-valley"],
        "Reading Central",
        "RG1 1, RG1 2",
        intro="<p>The town centre, the Oracle and the station.</p>",
        contact_email="reading.central@example.police.uk",
        officers=[
            {"type": "officer", "value": {"name": "Priya Shah", "role": "Police Sergeant"}},
            {"type": "officer", "value": {"name": "Tom Hughes", "role": "PCSO"}},
        ],
        priorities=[
            {
                "type": "priority",
                "value": {
                    "title": "Shoplifting in Broad Street",
                    "description": "Patrols with store security.",
                    "set_on": days(-20),
                    "review_on": days(70),
                },
            }
        ],
        meetings=[
            {
                "type": "meeting",
                "value": {
                    "title": "Street surgery",
                    "date": days(10),
                    "start_time": datetime.time(10, 0),
                    "end_time": datetime.time(12, 0),
                    "place": "Broad Street Mall",
                    "address": "",
                },
            },
            {
                "type": "meeting",
                "value": {
                    "title": "Last month's meeting",
                    "date": days(-30),
                    "start_time": datetime.time(18, 0),
                    "place": "Town Hall",
                    "address": "",
                },
            },
        ],
    )


def test_every_force_has_your_area_and_a_task_for_it(forces, host_client):
    for force in forces.values():
        home = force.site.root_page
        index = NeighbourhoodIndexPage.objects.child_of(home).get()
        assert index.slug == "your-area" and index.live
        tasks = ForceHomePage.objects.get(pk=home.pk).featured_tasks
        assert [task.value["url"] for task in tasks if task.value["title"] == "Your area"] == [
            "/your-area/"
        ]
    text = text_of(host_client.get(TVP, "/"))
    assert 'href="/your-area/"' in text


def test_onboarding_again_makes_no_second_index(forces, make_force):
    make_force("thames-valley", "Thames Valley Police", short_name="TVP")
    home = forces["thames-valley"].site.root_page
    assert NeighbourhoodIndexPage.objects.child_of(home).count() == 1


def test_a_force_onboarded_before_neighbourhoods_gets_the_page_and_the_task(forces, make_force):
    force = forces["hampshire"]
    home = ForceHomePage.objects.get(pk=force.site.root_page_id)
    NeighbourhoodIndexPage.objects.child_of(home).get().delete()
    home.featured_tasks = [
        (t.block_type, t.value) for t in home.featured_tasks if t.value["title"] != "Your area"
    ]
    home.save_revision().publish()
    make_force("hampshire", "Hampshire and Isle of Wight Constabulary", short_name="HIOW")
    assert NeighbourhoodIndexPage.objects.child_of(home).exists()
    titles = [t.value["title"] for t in ForceHomePage.objects.get(pk=home.pk).featured_tasks]
    assert titles.count("Your area") == 1


def test_the_neighbourhood_page_shows_the_team(host_client, reading):
    response = host_client.get(TVP, "/your-area/reading-central/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Reading Central Neighbourhood Policing Team" in text
    assert "Priya Shah" in text and "Police Sergeant" in text and "PCSO" in text
    assert "Shoplifting in Broad Street" in text
    assert "Street surgery" in text and "Broad Street Mall" in text
    assert "Last month's meeting" not in text  # past meetings are not upcoming
    assert 'href="mailto:reading.central@example.police.uk"' in text
    assert 'href="tel:101"' in text  # no phone of its own: the force's 101
    assert "RG1 1, RG1 2" in text
    assert "There is no news for this neighbourhood at the moment." in text


def test_news_tagged_to_the_neighbourhood_is_listed_newest_first(forces, host_client, reading):
    news = NewsIndexPage.objects.child_of(forces["thames-valley"].site.root_page).get()
    for number, date in ((1, days(-3)), (2, days(-1)), (3, days(-9)), (4, days(-2))):
        article = NewsPageFactory(parent=news, title=f"Reading story {number}", date=date)
        if number != 4:
            article.neighbourhood_tags.create(neighbourhood=reading)
            article.save_revision().publish()
    NewsPageFactory(parent=news, title="Elsewhere story", date=days(0))
    text = text_of(host_client.get(TVP, "/your-area/reading-central/"))
    section = text.split("Latest local news")[1]
    assert section.index("Reading story 2") < section.index("Reading story 1")
    assert section.index("Reading story 1") < section.index("Reading story 3")
    assert "Reading story 4" not in section and "Elsewhere story" not in section


def test_tagging_news_purges_the_cached_neighbourhood_page(forces, host_client, reading):
    url = "/your-area/reading-central/"
    host_client.get(TVP, url)
    assert host_client.get(TVP, url)["X-Page-Cache"] == "hit"
    news = NewsIndexPage.objects.child_of(forces["thames-valley"].site.root_page).get()
    article = NewsPageFactory(parent=news, title="Bikes recovered", publish=False)
    article.neighbourhood_tags.create(neighbourhood=reading)
    article.save_revision().publish()
    assert "Bikes recovered" in text_of(host_client.get(TVP, url))


def test_the_api_lists_a_sites_neighbourhoods(forces, host_client, reading, make_neighbourhood):
    make_neighbourhood(forces["met"], "Soho", "W1D 3, W1D 4")
    response = host_client.get(
        TVP, "/api/v2/pages/", data={"type": "neighbourhoods.NeighbourhoodPage", "fields": "*"}
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["title"] for item in items] == ["Reading Central"]
    assert items[0]["areas"] == ["RG1 1", "RG1 2"]
    assert items[0]["team_name"] == "Reading Central Neighbourhood Policing Team"
    assert items[0]["officers"][0]["value"]["name"] == "Priya Shah"


# --- editing ----------------------------------------------------------------------------------


def page_form(title, areas, slug=None, **actions):
    data = nested_form_data(
        {
            "title": title,
            "slug": slug or title.lower().replace(" ", "-"),
            "team_name": f"{title} team",
            "intro": rich_text("<p>Our area.</p>"),
            "postcode_areas": areas,
            "officers": streamfield([]),
            "priorities": streamfield([]),
            "meetings": streamfield([]),
            "contact_phone": "",
            "contact_email": "",
            "contact_note": "",
            "comments": inline_formset([]),
        }
    )
    data.update({f"action-{name}": value for name, value in actions.items()})
    return data


def add_url(force):
    index = NeighbourhoodIndexPage.objects.child_of(force.site.root_page).get()
    return reverse("wagtailadmin_pages:add", args=["neighbourhoods", "neighbourhoodpage", index.pk])


def test_a_moderator_adds_a_neighbourhood_and_its_areas_are_normalised(
    client, forces, make_user, host_client
):
    force = forces["thames-valley"]
    client.force_login(make_user("tvp-moderator", FORCE_MODERATOR, force))
    response = client.post(
        add_url(force), page_form("Caversham", "rg4 7;  RG4 8\nrg4 7", publish="1")
    )
    assert response.status_code == 302, text_of(response)[:3000]
    page = NeighbourhoodPage.objects.get(title="Caversham")
    assert page.live and page.postcode_areas == "RG4 7, RG4 8"
    assert sorted(
        PostcodeArea.objects.filter(neighbourhood=page).values_list("area", flat=True)
    ) == [
        "RG4 7",
        "RG4 8",
    ]


def test_overlapping_areas_are_refused_with_a_clear_error(client, forces, make_user, reading):
    force = forces["thames-valley"]
    client.force_login(make_user("tvp-moderator", FORCE_MODERATOR, force))
    response = client.post(add_url(force), page_form("Katesgrove", "RG1 2, RG1 6", publish="1"))
    assert response.status_code == 200
    assert "RG1 2 is already covered by Reading Central." in text_of(response)
    assert not NeighbourhoodPage.objects.filter(title="Katesgrove").exists()


def test_a_draft_neighbourhoods_areas_count_as_taken_too(
    client, forces, make_user, make_neighbourhood
):
    force = forces["thames-valley"]
    make_neighbourhood(force, "Tilehurst", "RG31 5", publish=False)
    client.force_login(make_user("tvp-moderator", FORCE_MODERATOR, force))
    response = client.post(add_url(force), page_form("Pangbourne", "RG31 5", publish="1"))
    assert "RG31 5 is already covered by Tilehurst." in text_of(response)


def test_bad_areas_are_refused_each_with_its_own_message(client, forces, make_user):
    force = forces["thames-valley"]
    client.force_login(make_user("tvp-moderator", FORCE_MODERATOR, force))
    response = client.post(add_url(force), page_form("Woodley", "RG5 4AA, Woodley", publish="1"))
    text = text_of(response)
    assert "“RG5 4AA” is a full postcode. Enter the sector it is in (like RG5 4)" in text
    assert "“WOODLEY” is not a postcode sector or district." in text


def test_the_same_area_in_two_forces_is_allowed(client, forces, make_user, reading):
    force = forces["met"]
    client.force_login(make_user("met-moderator", FORCE_MODERATOR, force))
    response = client.post(add_url(force), page_form("Border", "RG1 1", publish="1"))
    assert response.status_code == 302


def test_force_editors_cannot_edit_another_forces_neighbourhoods(
    client, forces, make_user, reading
):
    client.force_login(make_user("met-editor", FORCE_EDITOR, forces["met"]))
    edit = reverse("wagtailadmin_pages:edit", args=[reading.pk])
    assert client.get(edit).status_code in (302, 403)
    response = client.post(edit, page_form("Taken over", "RG1 1", slug="reading-central"))
    assert response.status_code in (302, 403)
    assert client.post(
        add_url(forces["thames-valley"]), page_form("Sneaky", "RG9 1")
    ).status_code in (
        302,
        403,
    )
    reading.refresh_from_db()
    assert reading.title == "Reading Central"
    assert not NeighbourhoodPage.objects.filter(title="Sneaky").exists()


def test_an_editors_change_goes_through_the_forces_moderation(client, forces, make_user, reading):
    client.force_login(make_user("tvp-editor", FORCE_EDITOR, forces["thames-valley"]))
    edit = reverse("wagtailadmin_pages:edit", args=[reading.pk])
    response = client.post(
        edit, page_form("Reading Central", "RG1 1, RG1 9", slug="reading-central", submit="1")
    )
    assert response.status_code == 302
    # Not live until a moderator approves it: the published areas are unchanged.
    assert sorted(PostcodeArea.objects.values_list("area", flat=True)) == ["RG1 1", "RG1 2"]


# --- Welsh ------------------------------------------------------------------------------------


@pytest.fixture
def dyfed_powys(make_force):
    force = make_force(
        "dyfed-powys",
        "Dyfed-Powys Police",
        welsh_name="Heddlu Dyfed-Powys",
        country="wales",
        languages="en,cy",
    )
    yield force
    invalidate_site_chrome()
    translation.activate("en")


def test_a_bilingual_forces_your_area_is_in_welsh(dyfed_powys, host_client):
    response = host_client.get("dyfed-powys.localhost", "/cy/your-area/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Eich ardal" in text
    assert "Dod o hyd i’ch tîm plismona bro" in text


def test_a_welsh_neighbourhood_page_and_lookup(dyfed_powys, make_neighbourhood, host_client):
    from forces.national import bilingual

    page = make_neighbourhood(
        dyfed_powys, "Carmarthen Town", "SA31 1, SA31 2, SA31 3", intro="<p>The town centre.</p>"
    )
    welsh = bilingual.translate(
        page,
        NeighbourhoodPage(
            title="Tref Caerfyrddin",
            slug=page.slug,
            team_name="Tîm Plismona Bro Tref Caerfyrddin",
            postcode_areas=page.postcode_areas,
            intro="<p>Canol y dref.</p>",
        ),
    )
    assert welsh.postcode_areas == "SA31 1, SA31 2, SA31 3"
    host = "dyfed-powys.localhost"
    text = text_of(host_client.get(host, "/cy/your-area/carmarthen-town/"))
    assert "Tîm Plismona Bro Tref Caerfyrddin" in text and "Tref Caerfyrddin" in text
    response = host_client.get(host, "/cy/your-area/", data={"postcode": "sa31 3hb"})
    assert response["Location"] == "/cy/your-area/carmarthen-town/"
    response = host_client.get(host, "/your-area/", data={"postcode": "sa31 3hb"})
    assert response["Location"] == "/your-area/carmarthen-town/"
    # Only the English page's areas are stored: the translation shares them.
    assert PostcodeArea.objects.filter(force=dyfed_powys).count() == 3
    assert not PostcodeArea.objects.exclude(neighbourhood=page).exists()


def test_welsh_errors_are_in_welsh(dyfed_powys, host_client):
    text = text_of(
        host_client.get("dyfed-powys.localhost", "/cy/your-area/", data={"postcode": "x"})
    )
    assert "Rhowch god post go iawn" in text


def test_the_page_tree_rules(forces):
    home = Page.objects.get(pk=forces["met"].site.root_page_id)
    assert NeighbourhoodIndexPage.can_create_at(home) is False  # one per force
    assert "neighbourhoods.neighbourhoodpage" in [
        f"{m._meta.app_label}.{m._meta.model_name}"
        for m in NeighbourhoodIndexPage.allowed_subpage_models()
    ]
    assert NeighbourhoodPage.allowed_parent_page_models() == [NeighbourhoodIndexPage]
    assert NewsPage.objects.count() >= 0


def news_form(news, neighbourhood_ids):
    return nested_form_data(
        {
            "title": news.title,
            "slug": news.slug,
            "date": news.date.isoformat(),
            "kind": news.kind,
            "body": streamfield([("paragraph", rich_text("<p>Officers were called.</p>"))]),
            "neighbourhood_tags": inline_formset(
                [{"neighbourhood": pk} for pk in neighbourhood_ids]
            ),
            "comments": inline_formset([]),
            "action-publish": "1",
        }
    )


def test_news_is_tagged_to_its_own_forces_neighbourhoods_only(
    client, forces, make_user, make_neighbourhood, reading
):
    met = forces["met"]
    soho = make_neighbourhood(met, "Soho", "W1D 3")
    news = NewsPageFactory(
        parent=NewsIndexPage.objects.child_of(met.site.root_page).get(), title="Soho arrests"
    )
    client.force_login(make_user("met-moderator", FORCE_MODERATOR, met))
    edit = reverse("wagtailadmin_pages:edit", args=[news.pk])
    # The chooser offers no other force's pages; a hand-made form naming one is refused
    # (Wagtail's admin answers PermissionDenied with a redirect to its dashboard).
    refused = client.post(edit, news_form(news, [reading.pk]))
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert not NewsNeighbourhood.objects.exists()
    index = NewsIndexPage.objects.child_of(met.site.root_page).get()
    add = reverse("wagtailadmin_pages:add", args=["home", "newspage", index.pk])
    refused = client.post(add, news_form(NewsPage(title="New", slug="new"), [reading.pk]))
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert not NewsPage.objects.filter(slug="new").exists()
    response = client.post(edit, news_form(news, [soho.pk]))
    assert response.status_code == 302, text_of(response)[:3000]
    assert [
        tag.neighbourhood_id for tag in NewsPage.objects.get(pk=news.pk).neighbourhood_tags.all()
    ] == [soho.pk]
