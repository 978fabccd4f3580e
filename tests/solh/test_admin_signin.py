"""Admin sign-in: lockout per account and per client, the client's address behind proxies, the
password policy on Wagtail's user forms, the admin session's idle timeout and its cookies.

Every sign-in goes through Wagtail's sign-in page over HTTP, as a browser's would.
"""

import logging
import time
from datetime import timedelta

from django.contrib.auth import SESSION_KEY, get_user_model
from django.utils import timezone

import pytest
from axes.models import AccessAttempt
from bs4 import BeautifulSoup

from solh.signin import LAST_ACTIVITY_KEY
from tests.solh.production import PRODUCTION_ENV, manage

LOGIN = "/admin/login/"
PASSWORD = "correct-horse-battery"
LOCKED_OUT = "You have tried to sign in too many times. Wait 15 minutes, then try again."
WRONG_PASSWORD = "didn&#x27;t match"


@pytest.fixture(autouse=True)
def _no_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = []


def sign_in(client, username, password, address="192.0.2.10", **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


@pytest.fixture
def editor(make_user):
    return make_user("alice", "national-editor")


@pytest.fixture
def other_editor(make_user):
    return make_user("bob", "national-editor")


# --- lockout ------------------------------------------------------------------------------------


def test_an_account_is_locked_after_five_failures_from_any_clients(client, editor):
    for attempt in range(4):
        response = sign_in(client, "alice", "wrong-password", address=f"198.51.100.{attempt}")
        assert response.status_code == 200
        assert WRONG_PASSWORD in response.text
    response = sign_in(client, "alice", "wrong-password", address="198.51.100.4")
    assert response.status_code == 429
    assert LOCKED_OUT in response.text

    # Now even the right password, from a client that never failed, is refused unchecked.
    response = sign_in(client, "alice", PASSWORD, address="198.51.100.99")
    assert response.status_code == 429
    assert LOCKED_OUT in response.text
    assert SESSION_KEY not in client.session


def test_a_client_is_locked_after_five_failures_whatever_the_accounts(client, editor, other_editor):
    for name in ("carol", "dave", "erin", "frank", "grace"):
        sign_in(client, name, "guess-guess-guess", address="203.0.113.7")
    response = sign_in(client, "alice", PASSWORD, address="203.0.113.7")
    assert response.status_code == 429
    assert LOCKED_OUT in response.text
    # Another client is not held up by it.
    assert signed_in(sign_in(client, "bob", PASSWORD, address="203.0.113.8"))


def test_the_lockout_page_is_the_sign_in_page_saying_why(client, editor):
    for _attempt in range(5):
        response = sign_in(client, "alice", "wrong-password")
    page = BeautifulSoup(response.text, "html.parser")
    alert = page.select_one("[data-locked-out]")
    assert alert["role"] == "alert"
    assert LOCKED_OUT in alert.get_text(" ", strip=True)
    assert alert.find("a", href="/admin/password_reset/")
    # The sign-in form is there, empty: nothing typed comes back.
    assert page.select_one("form.login-form input[name=username]").get("value") in (None, "")
    assert "wrong-password" not in response.text


def test_the_lock_lifts_after_the_cool_off(client, editor):
    for _attempt in range(5):
        sign_in(client, "alice", "wrong-password")
    assert sign_in(client, "alice", PASSWORD).status_code == 429
    # Fifteen minutes on (the attempts are dated back rather than waited for).
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert signed_in(sign_in(client, "alice", PASSWORD))


def test_the_limit_and_cool_off_are_settings(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    settings.ADMIN_SIGNIN_LOCKOUT_MINUTES = 1
    sign_in(client, "alice", "wrong-password")
    response = sign_in(client, "alice", "wrong-password")
    assert response.status_code == 429
    assert "Wait 1 minute, then try again." in response.text
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(seconds=61))
    assert signed_in(sign_in(client, "alice", PASSWORD))


def test_each_failure_and_lockout_is_logged_without_the_password(client, editor, caplog):
    secret = "Sentinel-Password-4711"
    with caplog.at_level(logging.INFO):
        for _attempt in range(5):
            sign_in(client, "alice", secret, address="198.51.100.23")
    failures = [r.getMessage() for r in caplog.records if "login failure by" in r.getMessage()]
    assert len(failures) == 5
    assert all('username: "alice"' in line for line in failures)
    assert all('ip_address: "198.51.100.23"' in line for line in failures)
    assert any("Locking out" in r.getMessage() for r in caplog.records)
    assert secret not in caplog.text
    assert not AccessAttempt.objects.filter(post_data__contains=secret).exists()


# --- the client's address -----------------------------------------------------------------------


def test_x_forwarded_for_is_ignored_without_trusted_proxies(client, editor, other_editor):
    for number in range(5):
        sign_in(
            client,
            "alice",
            "wrong-password",
            address="192.0.2.50",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.50"}
    # A fresh made-up address does not unlock the client.
    response = sign_in(
        client, "bob", PASSWORD, address="192.0.2.50", HTTP_X_FORWARDED_FOR="198.51.100.200"
    )
    assert response.status_code == 429


def test_x_forwarded_for_is_believed_from_a_trusted_proxy_only(
    client, editor, other_editor, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    for name in ("carol", "dave", "erin", "frank", "grace"):
        sign_in(
            client,
            name,
            "wrong-password",
            address="10.0.0.5",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}

    # The locked client cannot hide behind an address it writes in front of the proxy's.
    response = sign_in(
        client,
        "bob",
        PASSWORD,
        address="10.0.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.66",
    )
    assert response.status_code == 429
    # Someone else behind the same proxy is not locked out with it.
    assert signed_in(
        sign_in(client, "bob", PASSWORD, address="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.67")
    )
    # The same header from outside the proxies is the client's own word: not believed.
    sign_in(
        client,
        "carol",
        "wrong-password",
        address="192.0.2.77",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert (
        AccessAttempt.objects.filter(username="carol").values_list("ip_address", flat=True).last()
        == "192.0.2.77"
    )


# --- password policy ----------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, make_user):
    client.force_login(make_user("root", is_superuser=True))
    return client


def add_user(client, username, password):
    return client.post(
        "/admin/users/new/",
        {
            "username": username,
            "email": f"{username}@example.com",
            "first_name": "Pat",
            "last_name": "Jones",
            "password1": password,
            "password2": password,
        },
    )


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("Short-pw-1", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("918273645546", "This password is entirely numeric."),
        ("patjones2026!", "The password is too similar to the"),
    ],
)
def test_the_admin_refuses_a_weak_password_for_a_new_user(superuser_client, password, error):
    response = add_user(superuser_client, "patjones", password)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not get_user_model().objects.filter(username="patjones").exists()


def test_the_admin_accepts_a_strong_password_for_a_new_user(superuser_client):
    response = add_user(superuser_client, "patjones", "lantern-orbit-meadow-42")
    assert response.status_code == 302
    assert (
        get_user_model().objects.get(username="patjones").check_password("lantern-orbit-meadow-42")
    )


def test_the_admin_refuses_a_weak_password_when_editing_a_user(superuser_client, editor):
    response = superuser_client.post(
        f"/admin/users/edit/{editor.pk}/",
        {
            "username": "alice",
            "email": "alice@example.com",
            "first_name": "Alice",
            "last_name": "Smith",
            "is_active": "on",
            "password1": "password1234",
            "password2": "password1234",
        },
    )
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


def test_a_user_cannot_change_their_own_password_to_a_weak_one(client, editor):
    client.force_login(editor)
    page = BeautifulSoup(client.get("/admin/account/").text, "html.parser")
    form = page.find("input", attrs={"name": "password-old_password"}).find_parent("form")
    data = {}
    for field in form.find_all(["input", "select"]):
        name = field.get("name")
        if not name or (
            field.get("type") in ("checkbox", "radio") and not field.has_attr("checked")
        ):
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            data[name] = chosen.get("value", "") if chosen else ""
        else:
            data[name] = field.get("value", "")
    data |= {
        "password-old_password": PASSWORD,
        "password-new_password1": "123456789012",
        "password-new_password2": "123456789012",
    }
    response = client.post("/admin/account/", data)
    assert response.status_code == 200
    assert "This password is entirely numeric." in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


# --- the admin session --------------------------------------------------------------------------


def idle_for(client, minutes):
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - minutes * 60
    session.save()


def test_an_admin_session_ends_after_thirty_idle_minutes(client, editor):
    assert signed_in(sign_in(client, "alice", PASSWORD))
    assert client.get("/admin/").status_code == 200
    idle_for(client, 31)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/admin/pages/")
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "You have been signed out because you did not use the admin for 30 minutes." in page


def test_an_admin_session_in_use_stays_signed_in(client, editor):
    assert signed_in(sign_in(client, "alice", PASSWORD))
    idle_for(client, 29)
    assert client.get("/admin/").status_code == 200
    # That request counted as activity: the idle time starts again from it.
    assert time.time() - client.session[LAST_ACTIVITY_KEY] < 5


def test_the_idle_timeout_is_a_setting(client, editor, settings):
    settings.ADMIN_SESSION_IDLE_MINUTES = 5
    assert signed_in(sign_in(client, "alice", PASSWORD))
    idle_for(client, 6)
    assert client.get("/admin/").status_code == 302
    assert SESSION_KEY not in client.session


def test_the_session_cookie_is_http_only_and_same_site(client, editor):
    response = sign_in(client, "alice", PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_production_cookies_are_secure_http_only_and_same_site():
    result = manage(
        "shell",
        "--verbosity=0",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE, "
        "s.ADMIN_SESSION_IDLE_MINUTES)",
        env=PRODUCTION_ENV,
    )
    assert result.stdout.split() == ["True", "True", "Lax", "True", "30"], result.stderr
