"""The search backend is chosen by environment variables: the database by default, else
Elasticsearch or OpenSearch with English and Welsh analysers."""

import os

from django.core.exceptions import ImproperlyConfigured

import pytest

from search.backends import DATABASE_BACKEND, WELSH_STOP_WORDS, search_backends


def installed(name):
    return True


def missing(name):
    return False


def default(environ, module_available=installed):
    return search_backends(environ, module_available=module_available)["default"]


def test_database_backend_by_default():
    assert search_backends({}) == {"default": {"BACKEND": DATABASE_BACKEND}}
    # Empty values count as unset.
    assert default({"ELASTICSEARCH_URL": "", "OPENSEARCH_URL": ""}) == {"BACKEND": DATABASE_BACKEND}


def test_elasticsearch_url_selects_elasticsearch_8_with_prefix_and_timeout():
    config = default(
        {
            "ELASTICSEARCH_URL": "https://user:secret@es1.example:9200, https://es2.example:9200",
            "SEARCH_INDEX_PREFIX": "staging_",
            "SEARCH_TIMEOUT": "30",
        }
    )
    assert config["BACKEND"] == "wagtail.search.backends.elasticsearch8"
    assert config["URLS"] == [
        "https://user:secret@es1.example:9200",
        "https://es2.example:9200",
    ]
    assert config["INDEX_PREFIX"] == "staging_"
    assert config["TIMEOUT"] == 30


def test_elasticsearch_defaults_and_version_9():
    config = default({"ELASTICSEARCH_URL": "http://localhost:9200", "ELASTICSEARCH_VERSION": "9"})
    assert config["BACKEND"] == "wagtail.search.backends.elasticsearch9"
    assert config["INDEX_PREFIX"] == "solh_"
    assert config["TIMEOUT"] == 10


def test_opensearch_url_selects_opensearch():
    config = default({"OPENSEARCH_URL": "https://search.example"})
    assert config["BACKEND"] == "wagtail.search.backends.opensearch2"
    assert config["URLS"] == ["https://search.example"]
    config = default({"OPENSEARCH_URL": "https://search.example", "OPENSEARCH_VERSION": "3"})
    assert config["BACKEND"] == "wagtail.search.backends.opensearch3"


def test_index_settings_have_english_and_welsh_analysers():
    analysis = default({"ELASTICSEARCH_URL": "http://localhost:9200"})["INDEX_SETTINGS"][
        "settings"
    ]["analysis"]
    analysers = analysis["analyzer"]
    assert analysers["welsh"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["lowercase", "welsh_stop"],
    }
    assert "english_stemmer" in analysers["english"]["filter"]
    assert analysis["filter"]["welsh_stop"] == {"type": "stop", "stopwords": WELSH_STOP_WORDS}
    assert {"yr", "mae", "yn"} <= set(WELSH_STOP_WORDS)
    # Every text field (English and Welsh pages share an index) drops both languages' stop words.
    assert analysers["default"]["filter"] == ["lowercase", "english_stop", "welsh_stop"]
    for analyser in analysers.values():
        for name in analyser.get("filter", []):
            assert name == "lowercase" or name in analysis["filter"]


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"ELASTICSEARCH_URL": "http://a", "OPENSEARCH_URL": "http://b"},
            "not both",
        ),
        ({"ELASTICSEARCH_URL": "http://a", "ELASTICSEARCH_VERSION": "6"}, "ELASTICSEARCH_VERSION"),
        ({"OPENSEARCH_URL": "http://a", "OPENSEARCH_VERSION": "1"}, "OPENSEARCH_VERSION"),
        ({"ELASTICSEARCH_URL": "http://a", "SEARCH_TIMEOUT": "soon"}, "SEARCH_TIMEOUT"),
    ],
)
def test_bad_configuration_is_refused(environ, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        default(environ)


def test_a_missing_client_library_is_reported_with_what_to_install():
    with pytest.raises(ImproperlyConfigured, match="pip install 'elasticsearch>=8,<9'"):
        default({"ELASTICSEARCH_URL": "http://localhost:9200"}, module_available=missing)
    with pytest.raises(ImproperlyConfigured, match="opensearch-py"):
        default({"OPENSEARCH_URL": "http://localhost:9200"}, module_available=missing)


@pytest.mark.django_db
@pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="needs an Elasticsearch server: set ELASTICSEARCH_URL",
)
def test_elasticsearch_indexes_and_finds_pages(forces):
    """Against a real server: the index is created with our analysers, and a page is found."""
    from wagtail.search.backends import get_search_backend

    from home.models import ContentPage
    from tests.factories import ContentPageFactory

    config = dict(search_backends(os.environ)["default"])
    config["INDEX_PREFIX"] = f"solh_test_{os.getpid()}_"
    backend = get_search_backend(config.pop("BACKEND"), **config)
    page = ContentPageFactory(
        parent=forces["met"].site.root_page, slug="burglaries", title="Burglaries in London"
    )
    index = backend.get_index_for_model(ContentPage)
    try:
        index.put()
        index.add_model(ContentPage)
        index.add_item(page)
        index.refresh()
        tokens = backend.es.indices.analyze(
            index=index.name, analyzer="welsh", text="Mae'r heddlu yn"
        )
        words = [token["token"] for token in tokens["tokens"]]
        assert "heddlu" in words and "yn" not in words
        results = backend.search("burglaries", ContentPage.objects.all())
        assert [result.pk for result in results] == [page.pk]
    finally:
        index.delete()
