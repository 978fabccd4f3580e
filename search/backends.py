"""Build ``WAGTAILSEARCH_BACKENDS`` from environment variables.

The database backend (PostgreSQL full text search, or SQLite's) is the default and needs no
service. Setting ``ELASTICSEARCH_URL`` or ``OPENSEARCH_URL`` switches to that search server; the
index then gets an English analyser and a ``welsh`` one (Elasticsearch has no built-in Welsh
analyser, so it is lowercase plus a short list of Welsh stop words), and the default analyser,
used for every text field, drops both languages' stop words so English and Welsh pages, which
share an index, are searched alike.
"""

import importlib.util

from django.core.exceptions import ImproperlyConfigured

DATABASE_BACKEND = "wagtail.search.backends.database"

# Search server backends: version -> (Wagtail backend module, client import name, pip requirement).
ELASTICSEARCH_BACKENDS = {
    "8": ("wagtail.search.backends.elasticsearch8", "elasticsearch", "elasticsearch>=8,<9"),
    "9": ("wagtail.search.backends.elasticsearch9", "elasticsearch", "elasticsearch>=9,<10"),
}
OPENSEARCH_BACKENDS = {
    "2": ("wagtail.search.backends.opensearch2", "opensearchpy", "opensearch-py>=2,<3"),
    "3": ("wagtail.search.backends.opensearch3", "opensearchpy", "opensearch-py>=3,<4"),
}
DEFAULT_INDEX_PREFIX = "solh_"
DEFAULT_TIMEOUT = 10

# Very common Welsh function words, which say little about what a page is about. Kept short on
# purpose: a word wrongly dropped cannot be searched for at all.
WELSH_STOP_WORDS = [
    "a",
    "ac",
    "am",
    "ar",
    "at",
    "bod",
    "mae",
    "gan",
    "i",
    "o",
    "y",
    "yn",
    "yr",
    "ei",
    "eu",
    "fy",
    "dy",
    "ein",
    "eich",
    "hefyd",
    "neu",
    "ond",
    "wedi",
    "mewn",
    "gyda",
    "hyn",
    "hynny",
    "sydd",
    "oes",
    "roedd",
    "fel",
    "dros",
    "drwy",
    "heb",
]

INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            "filter": {
                "english_stop": {"type": "stop", "stopwords": "_english_"},
                "english_stemmer": {"type": "stemmer", "language": "english"},
                "english_possessive_stemmer": {"type": "stemmer", "language": "possessive_english"},
                "welsh_stop": {"type": "stop", "stopwords": WELSH_STOP_WORDS},
            },
            "analyzer": {
                "english": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [
                        "english_possessive_stemmer",
                        "lowercase",
                        "english_stop",
                        "english_stemmer",
                    ],
                },
                "welsh": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["lowercase", "welsh_stop"],
                },
                "default": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["lowercase", "english_stop", "welsh_stop"],
                },
            },
        }
    }
}


def _value(environ, name, default=None):
    value = environ.get(name, "")
    return value if value != "" else default


def _module_available(name):
    return importlib.util.find_spec(name) is not None


def _server_backend(choices, version_name, version, url, environ, module_available):
    if version not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperlyConfigured(f"{version_name} must be one of {allowed}, not {version!r}.")
    backend, client, requirement = choices[version]
    if not module_available(client):
        raise ImproperlyConfigured(
            f"{backend} needs the {client!r} client library: pip install '{requirement}'."
        )
    timeout = _value(environ, "SEARCH_TIMEOUT", str(DEFAULT_TIMEOUT))
    try:
        timeout = int(timeout)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"SEARCH_TIMEOUT must be a whole number, not {timeout!r}."
        ) from error
    return {
        "BACKEND": backend,
        "URLS": [item.strip() for item in url.split(",") if item.strip()],
        "INDEX_PREFIX": _value(environ, "SEARCH_INDEX_PREFIX", DEFAULT_INDEX_PREFIX),
        "TIMEOUT": timeout,
        "INDEX_SETTINGS": INDEX_SETTINGS,
    }


def search_backends(environ, module_available=_module_available):
    """Return ``WAGTAILSEARCH_BACKENDS`` for ``environ`` (a mapping such as ``os.environ``)."""
    elasticsearch_url = _value(environ, "ELASTICSEARCH_URL")
    opensearch_url = _value(environ, "OPENSEARCH_URL")
    if elasticsearch_url and opensearch_url:
        raise ImproperlyConfigured("Set ELASTICSEARCH_URL or OPENSEARCH_URL, not both.")
    if elasticsearch_url:
        default = _server_backend(
            ELASTICSEARCH_BACKENDS,
            "ELASTICSEARCH_VERSION",
            _value(environ, "ELASTICSEARCH_VERSION", "8"),
            elasticsearch_url,
            environ,
            module_available,
        )
    elif opensearch_url:
        default = _server_backend(
            OPENSEARCH_BACKENDS,
            "OPENSEARCH_VERSION",
            _value(environ, "OPENSEARCH_VERSION", "2"),
            opensearch_url,
            environ,
            module_available,
        )
    else:
        default = {"BACKEND": DATABASE_BACKEND}
    return {"default": default}
