"""The page tree rules encoded on the page types."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import (
    ContactPage,
    ContentPage,
    ForceHomePage,
    HubPage,
    NewsIndexPage,
    NewsPage,
    SectionPage,
)
from neighbourhoods.models import NeighbourhoodIndexPage
from reporting.models import ReportHubPage


class PageTreeRulesTest(WagtailPageTestCase):
    def test_roots(self):
        self.assertCanCreateAt(Page, ForceHomePage)
        self.assertCanCreateAt(Page, HubPage)
        self.assertCanNotCreateAt(Page, ContentPage)
        self.assertCanNotCreateAt(ForceHomePage, ForceHomePage)
        self.assertCanNotCreateAt(HubPage, ForceHomePage)

    def test_force_home_page(self):
        self.assertAllowedSubpageTypes(
            ForceHomePage,
            {
                SectionPage,
                ContentPage,
                NewsIndexPage,
                ContactPage,
                ReportHubPage,
                NeighbourhoodIndexPage,
            },
        )

    def test_sections_hold_sections_and_content(self):
        self.assertAllowedSubpageTypes(SectionPage, {SectionPage, ContentPage})
        self.assertAllowedParentPageTypes(SectionPage, {HubPage, ForceHomePage, SectionPage})

    def test_leaves(self):
        for leaf in (ContentPage, NewsPage, ContactPage):
            self.assertAllowedSubpageTypes(leaf, set())

    def test_news(self):
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertCanNotCreateAt(SectionPage, NewsPage)

    def test_one_hub_only(self):
        self.assertEqual(HubPage.max_count, 1)
