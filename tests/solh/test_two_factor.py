"""Two-factor sign-in to the admin, through the real pages over HTTP: who must use it, setting up
an authenticator app, codes and recovery codes, and the demo's authenticator."""

import re
from base64 import b32decode
from io import StringIO

from django.contrib.auth import SESSION_KEY
from django.core.management import CommandError, call_command

import pytest
from bs4 import BeautifulSoup
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from forces.roles import (
    FORCE_ADMIN,
    FORCE_EDITOR,
    FORCE_MODERATOR,
    FORCE_ROLES,
    NATIONAL_APPROVER_FORCES,
    NATIONAL_APPROVER_MPS,
    NATIONAL_EDITOR,
    REPORT_HANDLER,
)
from solh.two_factor.demo import DEMO_TOTP_SECRET, enrol_demo_users
from solh.two_factor.services import confirm_authenticator, pending_authenticator

PASSWORD = "correct-horse-battery"
SET_UP = "/admin/two-factor/set-up/"
VERIFY = "/admin/two-factor/"


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor():
    """These tests give the second factor themselves (overrides tests/conftest.py's)."""


@pytest.fixture(autouse=True)
def _editors_optional(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_EDITORS = False


def sign_in(client, username, next_url="/admin/"):
    response = client.post(
        "/admin/login/", {"username": username, "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302, "the password was not accepted"
    return response


def code_for(secret_base32, offset=0):
    """The code an authenticator app shows for ``secret_base32`` (``offset`` steps on)."""
    totp = TOTP(b32decode(secret_base32.replace(" ", "")))
    totp.t0 -= offset * totp.step
    return f"{totp.token():06d}"


def device_code(device):
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


def enrolled(user):
    """Set ``user`` up with an authenticator app and recovery codes; return (device, codes)."""
    device = pending_authenticator(user)
    codes = confirm_authenticator(device, device_code(device))
    # Set up a while ago: its current code has not been used yet.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return device, codes


@pytest.fixture
def user_with_role(make_user, forces):
    """A user holding ``role`` (at the Met for force roles), or a superuser."""

    def make(role):
        if role == "superuser":
            return make_user("root", is_superuser=True)
        force = forces["met"] if role in FORCE_ROLES else None
        return make_user(f"user-{role}", role, force)

    return make


# --- who must -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    ["superuser", NATIONAL_APPROVER_MPS, NATIONAL_APPROVER_FORCES, FORCE_ADMIN, REPORT_HANDLER],
)
def test_required_roles_must_set_up_two_factor_before_any_admin_page(client, user_with_role, role):
    user = user_with_role(role)
    sign_in(client, user.username)
    for path in ("/admin/", "/admin/pages/", "/admin/account/", "/admin/public-reports/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{SET_UP}?next={path.replace('/', '%2F')}", path
    assert client.get(SET_UP).status_code == 200


@pytest.mark.parametrize("role", [NATIONAL_EDITOR, FORCE_EDITOR, FORCE_MODERATOR])
def test_editors_may_use_the_admin_without_two_factor(client, user_with_role, role):
    user = user_with_role(role)
    sign_in(client, user.username)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("role", [NATIONAL_EDITOR, FORCE_EDITOR, FORCE_MODERATOR])
def test_two_factor_can_be_required_of_editors(client, user_with_role, role, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_EDITORS = True
    user = user_with_role(role)
    sign_in(client, user.username)
    assert client.get("/admin/")["Location"].startswith(SET_UP)


def test_an_editor_who_set_up_two_factor_is_asked_for_a_code(client, make_user):
    editor = make_user("ed", NATIONAL_EDITOR)
    enrolled(editor)
    sign_in(client, "ed")
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=%2Fadmin%2F"


def test_a_session_without_its_code_is_signed_out_outside_the_admin(client, make_user, hub):
    # The userbar is the public pages' sign of a signed-in admin user.
    device, _codes = enrolled(make_user("root", is_superuser=True))
    sign_in(client, "root")
    assert "wagtail-userbar" not in client.get("/").text
    assert client.post(VERIFY, {"code": device_code(device)}).status_code == 302
    assert "wagtail-userbar" in client.get("/").text


# --- setting up an authenticator app ------------------------------------------------------------


def test_setting_up_an_authenticator_app(client, make_user, forces):
    make_user("handler", REPORT_HANDLER, forces["met"])
    sign_in(client, "handler", next_url="/admin/public-reports/")
    assert (
        client.get("/admin/public-reports/")["Location"]
        == f"{SET_UP}?next=%2Fadmin%2Fpublic-reports%2F"
    )

    page = BeautifulSoup(client.get(f"{SET_UP}?next=/admin/public-reports/").text, "html.parser")
    assert page.select_one(".two-factor-qr-code svg")
    key = page.select_one("[data-key]").get_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )*[A-Z2-7]{1,4}", key)
    assert "no-store" in client.get(SET_UP)["Cache-Control"]

    # A wrong code sets nothing up.
    wrong = f"{(int(code_for(key)) + 1) % 1_000_000:06d}"
    response = client.post(SET_UP, {"code": wrong, "next": "/admin/public-reports/"})
    assert "The code is not right." in response.text
    assert client.get("/admin/")["Location"].startswith(SET_UP)

    # The code the app shows: set up, signed in, and the recovery codes shown once.
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    before = client.cookies["sessionid"].value
    response = client.post(SET_UP, {"code": code_for(key), "next": "/admin/public-reports/"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = BeautifulSoup(response.text, "html.parser")
    codes = [code.get_text() for code in page.select("[data-recovery-codes] code")]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert page.find("a", string=re.compile("Continue"))["href"] == "/admin/public-reports/"
    assert client.cookies["sessionid"].value != before  # a new session key, fully signed in
    assert client.get("/admin/public-reports/").status_code == 200
    assert client.get("/admin/").status_code == 200

    # Shown once: the page to manage them only counts them.
    page = client.get("/admin/two-factor/recovery-codes/").text
    assert "You have 10 recovery codes left." in page
    assert not any(code in page for code in codes)


def test_a_second_app_cannot_be_set_up_with_a_password_alone(client, make_user):
    approver = make_user("approver", NATIONAL_APPROVER_MPS)
    device, _codes = enrolled(approver)
    sign_in(client, "approver")
    response = client.get(SET_UP)
    assert response["Location"].startswith(VERIFY)
    response = client.post(SET_UP, {"code": "123456"})
    assert response["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=approver)) == [device]


# --- codes --------------------------------------------------------------------------------------


def test_signing_in_with_a_code_from_the_app(client, make_user):
    approver = make_user("approver", NATIONAL_APPROVER_FORCES)
    device, _codes = enrolled(approver)
    sign_in(client, "approver", next_url="/admin/account/")
    response = client.get("/admin/account/")
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Faccount%2F"
    assert "no-store" in client.get(response["Location"])["Cache-Control"]

    response = client.post(VERIFY, {"code": "000000", "next": "/admin/account/"})
    assert response.status_code == 200
    assert "The code is not right." in response.text
    assert client.get("/admin/account/").status_code == 302

    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    response = client.post(VERIFY, {"code": device_code(device), "next": "/admin/account/"})
    assert response["Location"] == "/admin/account/"
    assert client.get("/admin/account/").status_code == 200


def test_wrong_codes_slow_down_the_next_try(client, make_user):
    approver = make_user("approver", NATIONAL_APPROVER_MPS)
    device, _codes = enrolled(approver)
    sign_in(client, "approver")
    client.post(VERIFY, {"code": "000000"})
    # Even the right code is refused straight after a wrong one.
    response = client.post(VERIFY, {"code": device_code(device)})
    assert response.status_code == 200
    assert "You have entered too many wrong codes." in response.text
    assert client.get("/admin/").status_code == 302


def test_the_next_address_stays_on_the_site(client, make_user):
    approver = make_user("approver", NATIONAL_APPROVER_MPS)
    device, _codes = enrolled(approver)
    sign_in(client, "approver")
    response = client.post(
        VERIFY, {"code": device_code(device), "next": "https://attacker.example/admin/"}
    )
    assert response["Location"] == "/admin/"


def test_a_recovery_code_works_once(client, make_user):
    root = make_user("root", is_superuser=True)
    _device, codes = enrolled(root)
    sign_in(client, "root")
    first = f"{codes[0][:4]}-{codes[0][4:]}".upper()  # as shown, typed in capitals
    response = client.post(VERIFY, {"code": first})
    assert response["Location"] == "/admin/"
    page = client.get("/admin/").text
    assert "You signed in with a recovery code. You have 9 recovery codes left" in page

    client.post("/admin/logout/")
    assert SESSION_KEY not in client.session
    sign_in(client, "root")
    response = client.post(VERIFY, {"code": first})
    assert response.status_code == 200
    assert "The code is not right." in response.text
    assert client.get("/admin/").status_code == 302
    # A wrong recovery code slows the next try too: as if a few seconds had passed.
    root.staticdevice_set.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert client.post(VERIFY, {"code": codes[1]})["Location"] == "/admin/"


def test_new_recovery_codes_replace_the_old_ones(client, make_user):
    device, old_codes = enrolled(make_user("root", is_superuser=True))
    sign_in(client, "root")
    client.post(VERIFY, {"code": device_code(device)})
    response = client.post("/admin/two-factor/recovery-codes/")
    new_codes = [
        code.get_text().replace("-", "")
        for code in BeautifulSoup(response.text, "html.parser").select("[data-recovery-codes] code")
    ]
    assert len(new_codes) == 10
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new_codes)
    assert not set(old_codes) & set(new_codes)


# --- the demo -----------------------------------------------------------------------------------


def test_demo_logins_stay_usable_with_the_demo_authenticator(client, make_user):
    make_user("approver-mps", NATIONAL_APPROVER_MPS)
    make_user("national-editor", NATIONAL_EDITOR)
    assert enrol_demo_users(["approver-mps", "national-editor"]) == ["approver-mps"]
    assert enrol_demo_users(["approver-mps"]) == ["approver-mps"]  # again: the same one device
    assert TOTPDevice.objects.filter(user__username="approver-mps").count() == 1

    out = StringIO()
    call_command("demo_totp", "approver-mps", stdout=out)
    code = out.getvalue().strip()
    assert code == code_for(DEMO_TOTP_SECRET)  # what an app given the README's secret shows
    sign_in(client, "approver-mps")
    assert client.post(VERIFY, {"code": code})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200

    with pytest.raises(CommandError, match="no demo authenticator"):
        call_command("demo_totp", "national-editor")


def test_reset_two_factor_makes_the_user_set_up_again(client, make_user):
    approver = make_user("approver", NATIONAL_APPROVER_MPS)
    enrolled(approver)
    call_command("reset_two_factor", "approver", stdout=StringIO())
    sign_in(client, "approver")
    assert client.get("/admin/")["Location"].startswith(SET_UP)


def test_the_admin_icons_are_not_sent_to_the_code_page(client, make_user):
    """Every admin page's script fetches the icon sprite, the code page's too: sent on to give
    a code, that fetch named itself where to go once the code was given."""
    approver = make_user("approver", NATIONAL_APPROVER_MPS)
    enrolled(approver)
    sign_in(client, "approver")
    assert client.get("/admin/").status_code == 302
    sprite = client.get("/admin/sprite/")
    assert sprite.status_code == 200 and b"<svg" in sprite.content
