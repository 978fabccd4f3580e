"""The two-factor pages: give a code, set up an authenticator app, recovery codes."""

import logging
from base64 import b32encode

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from django_otp import login as otp_login
from django_otp import user_has_device

from solh.client_ip import client_ip

from .forms import SetUpForm, VerifyForm
from .policy import two_factor_required
from .services import (
    confirm_authenticator,
    format_recovery_code,
    pending_authenticator,
    recovery_codes_left,
    replace_recovery_codes,
    verify_code,
)

logger = logging.getLogger(__name__)


def _next_url(request):
    """Where to go afterwards: ``next`` if it is on this site, else the admin's dashboard."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("wagtailadmin_home")


def _with_next(name, next_url):
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _pass_second_factor(request, device):
    # A new session key once the session is fully signed in, as for the password.
    request.session.cycle_key()
    otp_login(request, device)


def _show_recovery_codes(request, codes, next_url):
    return TemplateResponse(
        request,
        "solh/two_factor/new_recovery_codes.html",
        {"codes": [format_recovery_code(code) for code in codes], "next": next_url},
    )


@never_cache
def verify(request):
    """Ask a signed-in user for the code from their authenticator app or a recovery code."""
    user = request.user
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if not user_has_device(user):
        if two_factor_required(user):
            return redirect(_with_next("two_factor:set_up", next_url))
        return redirect(next_url)
    form = VerifyForm(request.POST or None)
    if form.is_valid():
        result = verify_code(user, form.cleaned_data["code"])
        if result.device is not None:
            _pass_second_factor(request, result.device)
            if result.used_recovery_code:
                left = recovery_codes_left(user)
                logger.warning(
                    "two-factor: user %s signed in with a recovery code (%d left) from %s",
                    user.pk,
                    left,
                    client_ip(request),
                )
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code. You have %(count)d recovery code "
                        "left: make new ones in Account, Two-factor authentication.",
                        "You signed in with a recovery code. You have %(count)d recovery codes "
                        "left: make new ones in Account, Two-factor authentication.",
                        left,
                    )
                    % {"count": left},
                )
            else:
                logger.info("two-factor: user %s signed in from %s", user.pk, client_ip(request))
            return redirect(next_url)
        logger.warning("two-factor: wrong code for user %s from %s", user.pk, client_ip(request))
        form.add_error("code", result.error)
    return TemplateResponse(
        request, "solh/two_factor/verify.html", {"form": form, "next": next_url}
    )


@never_cache
def set_up(request):
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a code,
    and see the recovery codes once."""
    user = request.user
    next_url = _next_url(request)
    if user_has_device(user):
        # Replacing an app takes the old one (reset_two_factor), never just a password.
        return redirect(_with_next("two_factor:verify", next_url))
    device = pending_authenticator(user)
    form = SetUpForm(request.POST or None)
    if form.is_valid():
        codes = confirm_authenticator(device, form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            _pass_second_factor(request, device)
            return _show_recovery_codes(request, codes, next_url)
        form.add_error(
            "code",
            _(
                "The code is not right. Enter the newest code the app shows, and check the time "
                "on your phone is set automatically."
            ),
        )
    # Imported here: only this admin page draws QR codes, and public web workers never load it.
    import segno

    key = b32encode(device.bin_key).decode()
    qr_code = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("QR code for your authenticator app")
    )
    return TemplateResponse(
        request,
        "solh/two_factor/set_up.html",
        {
            "form": form,
            "next": next_url,
            # segno writes the SVG from the device's own URL: no user input in it.
            "qr_code": mark_safe(qr_code),  # noqa: S308
            "key": " ".join(key[index : index + 4] for index in range(0, len(key), 4)),
            "required": two_factor_required(user),
        },
    )


@never_cache
def recovery_codes(request):
    """How many recovery codes are left, and a button to make a new set."""
    user = request.user
    if not user_has_device(user):
        return TemplateResponse(request, "solh/two_factor/not_set_up.html", {})
    if request.method == "POST":
        return _show_recovery_codes(
            request, replace_recovery_codes(user), reverse("wagtailadmin_home")
        )
    return TemplateResponse(
        request, "solh/two_factor/recovery_codes.html", {"left": recovery_codes_left(user)}
    )
