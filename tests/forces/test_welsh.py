"""Welsh-language forces: their Welsh trees, national content translated once, fallbacks."""

import html

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from wagtail.models import GroupPagePermission, Locale, Page, WorkflowPage
from wagtail_localize.models import StringTranslation, Translation

import pytest

from forces.national import bilingual
from forces.onboarding import ForceSpec, onboard_force
from forces.permissions import role_group
from forces.roles import FORCE_EDITOR, NATIONAL_EDITOR
from home.models import ContentPage, HubPage, NewsIndexPage, NewsPage, SectionPage
from home.site_context import invalidate_site_chrome

pytestmark = pytest.mark.django_db

DPP = "dyfed-powys.localhost"
GWENT = "gwent.localhost"
NOTE = "Nid yw’r dudalen hon ar gael yn Gymraeg eto"


@pytest.fixture(autouse=True)
def forget_welsh_sites(db):
    yield
    # The site chrome is cached per site: forget what these tests' Welsh sites left (before
    # the rollback, while their sites can still be listed), and the language the test client
    # left active.
    invalidate_site_chrome()
    translation.activate("en")


def welsh_force(make_force, slug="dyfed-powys", name="Dyfed-Powys Police", welsh_name=None):
    return make_force(
        slug,
        name,
        welsh_name=welsh_name or f"Heddlu {name.split(' Police')[0]}",
        country="wales",
        languages="en,cy",
    )


@pytest.fixture
def gwent(make_force):
    return welsh_force(make_force, "gwent", "Gwent Police")


def national_advice():
    hub = HubPage.objects.get(locale__language_code="en")
    return SectionPage.objects.child_of(hub).get(slug="advice")


def publish_national_article(slug="keep-safe", title="Keep safe at home", parent=None):
    page = ContentPage(
        title=title,
        slug=slug,
        search_description="How to stay safe.",
        body=[{"type": "paragraph", "value": "<p>Lock your doors.</p>"}],
    )
    (parent or national_advice()).add_child(instance=page)
    page.save_revision().publish()
    return ContentPage.objects.get(pk=page.pk)


def welsh_version(slug="keep-safe", title="Cadw’n ddiogel gartref"):
    return ContentPage(
        title=title,
        slug=slug,
        search_description="Sut i gadw’n ddiogel.",
        body=[{"type": "paragraph", "value": "<p>Cloi eich drysau.</p>"}],
    )


def get(client, host, path):
    return client.get(path, HTTP_HOST=host)


def text(response):
    return html.unescape(response.content.decode())


def refused(response):
    """Wagtail's admin answers a refusal by sending the user back to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def welsh_page_of(page):
    return Page.objects.get(translation_key=page.translation_key, locale__language_code="cy")


# --- onboarding -----------------------------------------------------------------------------


def test_a_bilingual_force_gets_a_welsh_tree_mirroring_its_english_one(dpp):
    home = dpp.site.root_page
    welsh_home = bilingual.welsh_home(dpp)
    assert welsh_home is not None and welsh_home.live
    assert welsh_home.specific.hero_heading == "Heddlu Dyfed-Powys"

    english = {page.translation_key: page for page in home.get_descendants()}
    welsh = {page.translation_key: page for page in welsh_home.get_descendants()}
    assert set(welsh) == set(english)
    for key, page in welsh.items():
        assert page.slug == english[key].slug
        assert page.locale.language_code == "cy"
        assert page.live

    # The starter pages are translated (wagtail-localize translations, from the Welsh catalogue).
    news = welsh_page_of(home.get_children().get(slug="news"))
    assert news.alias_of_id is None and news.title == "Newyddion ac apeliadau"
    assert Translation.objects.filter(
        source__object_id=news.translation_key, target_locale__language_code="cy"
    ).exists()
    # National copies stand for the national pages: the Welsh report hub (a translated starter
    # page), and every other national page until it is translated.
    report = welsh_page_of(home.get_children().get(slug="report"))
    national_report = Page.objects.get(pk=report.alias_of_id)
    assert national_report.locale.language_code == "cy"
    assert national_report.get_parent().specific_class is HubPage


def test_the_hub_gets_a_welsh_tree_too(dpp):
    hub = HubPage.objects.get(locale__language_code="en")
    welsh_hub = hub.get_translation(Locale.objects.get(language_code="cy"))
    assert welsh_hub.title == "Gwefannau’r heddlu yng Nghymru a Lloegr"
    assert {page.slug for page in welsh_hub.get_children()} == {
        page.slug for page in hub.get_children()
    }
    # The 50:50 workflow covers national content in Welsh.
    assert WorkflowPage.objects.get(page=welsh_hub).workflow == hub.get_workflow()


def test_roles_and_workflow_cover_the_welsh_tree(dpp):
    welsh_home = bilingual.welsh_home(dpp)
    editors = role_group(FORCE_EDITOR, dpp)
    pages = set(GroupPagePermission.objects.filter(group=editors).values_list("page", flat=True))
    assert pages == {dpp.site.root_page_id, welsh_home.pk}
    assert editors.permissions.filter(codename="submit_translation").exists()
    assert WorkflowPage.objects.get(page=welsh_home).workflow == dpp.site.root_page.get_workflow()
    national_editors = role_group(NATIONAL_EDITOR)
    hub_pages = GroupPagePermission.objects.filter(group=national_editors)
    assert hub_pages.values("page").distinct().count() == 2


def test_onboarding_a_bilingual_force_again_changes_nothing(dpp):
    pages = Page.objects.count()
    result = onboard_force(ForceSpec(slug="dyfed-powys", name="Dyfed-Powys Police", hostname=DPP))
    assert result.changes == []
    assert Page.objects.count() == pages


def test_an_english_only_force_has_no_welsh_pages(forces, dpp):
    met = forces["met"].site.root_page
    assert not met.get_translations().exists()
    assert not Page.objects.filter(locale__language_code="cy", path__startswith=met.path).exists()


def test_a_force_made_bilingual_later_gets_its_welsh_tree(forces, client):
    assert get(client, "thames-valley.localhost", "/cy/").status_code == 404
    onboard_force(
        ForceSpec(
            slug="thames-valley",
            name="Thames Valley Police",
            hostname="thames-valley.localhost",
            languages="en,cy",
        )
    )
    response = get(client, "thames-valley.localhost", "/cy/")
    assert response.status_code == 200
    assert 'lang="cy"' in response.content.decode()


# --- national content translated once ---------------------------------------------------------


def test_a_national_page_translated_once_is_welsh_on_every_welsh_force(client, dpp, gwent, forces):
    article = publish_national_article()
    for host in (DPP, GWENT):
        assert NOTE in text(get(client, host, "/cy/advice/keep-safe/"))
    # The hub lists only what is in Welsh.
    assert get(client, "localhost", "/cy/advice/keep-safe/").status_code == 404

    welsh = bilingual.translate(article, welsh_version())

    assert welsh.live and welsh.alias_of_id is None
    assert welsh.locale.language_code == "cy"
    assert StringTranslation.objects.filter(data="Cadw’n ddiogel gartref").exists()
    for host in (DPP, GWENT, "localhost"):
        page = text(get(client, host, "/cy/advice/keep-safe/"))
        assert "Cadw’n ddiogel gartref" in page, host
        assert "Cloi eich drysau." in page
        assert NOTE not in page
        english = text(get(client, host, "/advice/keep-safe/"))
        assert "Keep safe at home" in english and "Cloi" not in english
    # English-only forces have the English page only.
    assert "Keep safe at home" in text(get(client, "met.localhost", "/advice/keep-safe/"))
    assert get(client, "met.localhost", "/cy/advice/keep-safe/").status_code == 404


def test_an_edit_to_the_welsh_translation_reaches_every_welsh_force(client, dpp, gwent):
    article = publish_national_article()
    bilingual.translate(article, welsh_version())
    bilingual.translate(article, welsh_version(title="Cadw’n saff gartref"))
    for host in (DPP, GWENT):
        assert "Cadw’n saff gartref" in text(get(client, host, "/cy/advice/keep-safe/"))


def test_an_untranslated_page_falls_back_to_english_with_a_note_in_welsh(client, dpp):
    publish_national_article()
    response = get(client, DPP, "/cy/advice/keep-safe/")
    page = text(response)
    assert response.status_code == 200
    assert '<html lang="cy"' in page
    assert NOTE in page
    assert '<div class="solh-content" lang="en">' in page
    assert "Keep safe at home" in page and "Lock your doors." in page
    # The English page has no note.
    assert NOTE not in text(get(client, DPP, "/advice/keep-safe/"))


def test_a_new_national_section_reaches_the_welsh_trees(client, dpp):
    section = SectionPage(title="Scams", slug="scams", intro="<p>Scams.</p>")
    national_advice().add_child(instance=section)
    section.save_revision().publish()
    publish_national_article("romance", "Romance fraud", parent=section)
    for path in ("/cy/advice/scams/", "/cy/advice/scams/romance/"):
        assert NOTE in text(get(client, DPP, path)), path
    # In the national order, in Welsh as in English.
    welsh_advice = welsh_page_of(dpp.site.root_page.get_children().get(slug="advice"))
    english_advice = dpp.site.root_page.get_children().get(slug="advice")
    assert [p.slug for p in welsh_advice.get_children()] == [
        p.slug for p in english_advice.get_children()
    ]


def test_deleting_a_national_page_deletes_it_in_welsh_everywhere(client, dpp, gwent):
    article = publish_national_article()
    bilingual.translate(article, welsh_version())
    Page.objects.get(pk=article.pk).delete()
    assert not Page.objects.filter(slug="keep-safe").exists()
    for host in (DPP, GWENT, "localhost"):
        assert get(client, host, "/cy/advice/keep-safe/").status_code == 404


def test_unpublishing_a_national_page_withdraws_it_in_welsh_too(client, dpp):
    article = publish_national_article()
    bilingual.translate(article, welsh_version())
    article.unpublish()
    assert get(client, DPP, "/cy/advice/keep-safe/").status_code == 404
    assert get(client, "localhost", "/cy/advice/keep-safe/").status_code == 404


def test_moving_a_national_page_moves_its_welsh_copies(client, dpp):
    section = SectionPage(title="Homes", slug="homes", intro="<p>Homes.</p>")
    national_advice().add_child(instance=section)
    section.save_revision().publish()
    article = publish_national_article()
    bilingual.translate(article, welsh_version())
    Page.objects.get(pk=article.pk).move(section, pos="last-child")
    assert get(client, DPP, "/cy/advice/homes/keep-safe/").status_code == 200
    old_address = get(client, DPP, "/cy/advice/keep-safe/")
    assert old_address.status_code == 301  # Wagtail's redirect, in Welsh as in English
    assert old_address["Location"].endswith("/cy/advice/homes/keep-safe/")
    assert "Cadw’n ddiogel gartref" in text(get(client, DPP, "/cy/advice/homes/keep-safe/"))


def test_a_force_page_published_in_english_appears_untranslated_in_welsh(client, dpp):
    news = NewsIndexPage.objects.child_of(dpp.site.root_page).get()
    article = NewsPage(
        title="Road closed in Carmarthen",
        slug="road-closed",
        body=[{"type": "paragraph", "value": "<p>The A48 is closed.</p>"}],
    )
    news.add_child(instance=article)
    article.save_revision().publish()
    response = get(client, DPP, "/cy/news/road-closed/")
    assert response.status_code == 200
    assert NOTE in text(response)
    assert "Road closed in Carmarthen" in text(get(client, DPP, "/cy/news/"))
    # The force translates it with wagtail-localize: the Welsh page replaces the stand-in.
    welsh = NewsPage(
        title="Ffordd ar gau yng Nghaerfyrddin",
        slug="road-closed",
        body=[{"type": "paragraph", "value": "<p>Mae’r A48 ar gau.</p>"}],
    )
    bilingual.translate(article, welsh)
    page = text(get(client, DPP, "/cy/news/road-closed/"))
    assert "Ffordd ar gau yng Nghaerfyrddin" in page and NOTE not in page


def test_a_journey_translated_keeps_its_ids_and_reference_code(dpp):
    from reporting.models import ReportHubPage, ReportJourneyPage
    from tests.reporting.journeys import journey_steps, radios, step

    def journey(label, first, second):
        return ReportJourneyPage(
            title=label,
            slug="test-journey",
            code="TST",
            summary=label,
            steps=journey_steps(
                step("what", radios("what", [("a", first), ("b", second)], label)),
            ),
        )

    hub = ReportHubPage.objects.child_of(HubPage.objects.get(locale__language_code="en")).get()
    page = journey("What happened?", "A collision", "Something else")
    hub.add_child(instance=page)
    page.save_revision().publish()
    welsh = bilingual.translate(page, journey("Beth ddigwyddodd?", "Gwrthdrawiad", "Arall"))
    assert welsh.code == "TST"
    question = welsh.steps[0].value["questions"][0].value
    assert question["question_id"] == "what"
    assert question["label"] == "Beth ddigwyddodd?"
    assert [option["value"] for option in question["options"]] == ["a", "b"]
    assert [option["label"] for option in question["options"]] == ["Gwrthdrawiad", "Arall"]


def test_a_welsh_version_with_another_structure_is_refused(dpp):
    article = publish_national_article()
    different = welsh_version()
    different.body = [
        {"type": "paragraph", "value": "<p>Un.</p>"},
        {"type": "paragraph", "value": "<p>Dau.</p>"},
    ]
    with pytest.raises(bilingual.TranslationMismatch):
        bilingual.translate(article, different)


# --- translating in the admin ---------------------------------------------------------------


def test_national_editors_translate_national_pages_and_export_po_files(client, make_user, dpp):
    article = publish_national_article()
    bilingual.translate(article, welsh_version())
    editor = make_user("translator", NATIONAL_EDITOR)
    client.force_login(editor)
    submit = client.get(f"/admin/localize/submit/page/{article.pk}/", HTTP_HOST="localhost")
    assert submit.status_code == 200
    welsh = welsh_page_of(article)
    assert client.get(f"/admin/pages/{welsh.pk}/edit/").status_code == 200
    translation_record = Translation.objects.get(
        source__object_id=article.translation_key, target_locale__language_code="cy"
    )
    po = client.get(f"/admin/localize/translate/{translation_record.pk}/pofile/download/")
    assert po.status_code == 200
    exported = po.content.decode()
    assert 'msgstr "Cadw’n ddiogel gartref"' in exported
    # A translator's changes come back in the same file.
    changed = exported.replace('msgstr "Cadw’n ddiogel gartref"', 'msgstr "Cadw’n saff gartref"')
    upload = SimpleUploadedFile("cy.po", changed.encode(), content_type="text/x-gettext")
    response = client.post(
        f"/admin/localize/translate/{translation_record.pk}/pofile/upload/",
        {"file": upload, "next": f"/admin/pages/{welsh.pk}/edit/"},
    )
    assert response.status_code == 302
    assert StringTranslation.objects.filter(
        data="Cadw’n saff gartref", locale__language_code="cy"
    ).exists()


def test_force_editors_cannot_translate_national_pages_but_can_their_own(client, make_user, dpp):
    article = publish_national_article()
    editor = make_user("dpp-translator", FORCE_EDITOR, dpp)
    client.force_login(editor)
    assert refused(client.get(f"/admin/localize/submit/page/{article.pk}/"))
    news = dpp.site.root_page.get_children().get(slug="news")
    assert client.get(f"/admin/localize/submit/page/{news.pk}/").status_code == 200
    assert refused(client.get("/admin/localize/reports/translations/"))


def test_a_localised_copy_keeps_its_welsh_page_national(client, dpp, make_user):
    from forces.national.syndication import localise

    article = publish_national_article()
    copy = dpp.site.root_page.get_children().get(slug="advice").get_children().get(slug="keep-safe")
    localise(copy, make_user("dpp-editor", FORCE_EDITOR, dpp))
    bilingual.translate(article, welsh_version())
    assert "Cadw’n ddiogel gartref" in text(get(client, DPP, "/cy/advice/keep-safe/"))
