"""How the settings read the environment (README "Configuration"): the behaviours for which the
platform keeps its own four helpers rather than django-environ."""

from django.core.exceptions import ImproperlyConfigured

import pytest

from solh.settings.base import env, env_bool, env_int, env_list


def test_an_empty_variable_is_unset(monkeypatch):
    monkeypatch.setenv("SOLH_TEST_VALUE", "")
    assert env("SOLH_TEST_VALUE", "fallback") == "fallback"
    assert env_int("SOLH_TEST_VALUE", 30) == 30
    assert env_bool("SOLH_TEST_VALUE", True) is True
    assert env_list("SOLH_TEST_VALUE", "a,b") == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", True), ("TRUE", True), ("yes", True), ("on", True), ("0", False), ("Off", False)],
)
def test_booleans(monkeypatch, text, value):
    monkeypatch.setenv("SOLH_TEST_VALUE", text)
    assert env_bool("SOLH_TEST_VALUE") is value


def test_a_word_that_is_not_a_boolean_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("SOLH_TEST_VALUE", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOLH_TEST_VALUE must be true or false"):
        env_bool("SOLH_TEST_VALUE")


def test_a_bad_number_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("SOLH_TEST_VALUE", "thirty")
    with pytest.raises(ImproperlyConfigured, match="SOLH_TEST_VALUE must be a whole number"):
        env_int("SOLH_TEST_VALUE", 30)


def test_lists_are_trimmed_and_empty_items_dropped(monkeypatch):
    monkeypatch.setenv("SOLH_TEST_VALUE", " a.example, b.example,, ")
    assert env_list("SOLH_TEST_VALUE") == ["a.example", "b.example"]
