"""Fixtures for the neighbourhood pages: a force's /your-area/ page and neighbourhoods in it."""

import pytest

from neighbourhoods.models import NeighbourhoodIndexPage, NeighbourhoodPage


@pytest.fixture
def make_neighbourhood(db):
    """``make(force, title, areas, **fields)``: a published neighbourhood under the force's
    /your-area/ page (made by onboarding), with ``areas`` as an editor would type them."""

    def make(force, title, areas, publish=True, **fields):
        index = NeighbourhoodIndexPage.objects.child_of(force.site.root_page).get()
        page = NeighbourhoodPage(
            title=title,
            team_name=fields.pop("team_name", f"{title} Neighbourhood Policing Team"),
            postcode_areas=areas,
            live=publish,
            **fields,
        )
        index.add_child(instance=page)
        if publish:
            page.save_revision().publish()
        return NeighbourhoodPage.objects.get(pk=page.pk)

    return make
