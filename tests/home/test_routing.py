"""Host routing: each force's hostname serves its own site; unknown hosts get the hub."""

import pytest

pytestmark = pytest.mark.django_db


def test_each_force_host_serves_its_own_home_page(forces, host_client):
    for slug, force in forces.items():
        response = host_client.get(f"{slug}.localhost")
        html = response.content.decode()
        assert response.status_code == 200
        assert f"<title>{force.name}</title>" in html
        assert f"--govuk-brand-colour:{force.primary_colour}" in html
        for other in forces.values():
            if other != force:
                assert other.name not in html, f"{other.name} leaked onto {force.name}'s site"


def test_unknown_host_gets_the_hub(forces, host_client):
    response = host_client.get("unknown.example")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Find your police force" in html
    for force in forces.values():
        assert f'href="http://{force.site.hostname}/"' in html


def test_a_force_page_is_not_served_on_another_force_host(forces, host_client):
    met, tvp = forces["met"], forces["thames-valley"]
    response = host_client.get("met.localhost", "/contact-us/")
    assert response.status_code == 200
    html = response.content.decode()
    assert met.name in html
    assert tvp.name not in html
    # The Thames Valley tree is not reachable through the Met's hostname by its tree path.
    response = host_client.get("met.localhost", "/thames-valley/contact-us/")
    assert response.status_code == 404
    assert tvp.name not in response.content.decode()
