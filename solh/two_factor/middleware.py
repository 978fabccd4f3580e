"""Keep a session that has given only its password out of the admin until it gives a code."""

from urllib.parse import urlencode

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from django_otp import user_has_device

from .policy import second_factor_expected

# Admin pages a session may open before its second factor.
OPEN_ADMIN_URLS = (
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    # The admin's icons, fetched by every admin page's script (the code page's too): sent on to
    # give a code, that fetch became where the admin went once the code was given.
    "wagtailadmin_sprite",
    "two_factor:verify",
    "two_factor:set_up",
)


class TwoFactorMiddleware:
    """After django-otp's ``OTPMiddleware``: a signed-in user who must give a code and has not
    is sent to give one (or to set up their authenticator) from every admin page, and counts as
    signed out everywhere else (private documents, previews, evidence downloads).

    Sessions without a signed-in user (the public) cost nothing here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if SESSION_KEY in request.session:
            response = self.check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def check(self, request):
        user = request.user
        if not user.is_authenticated or user.is_verified() or not second_factor_expected(user):
            return None
        admin_home = reverse("wagtailadmin_home")
        if not request.path_info.startswith(admin_home):
            anonymous = AnonymousUser()

            async def auser():
                return anonymous

            request.user, request.auser = anonymous, auser
            return None
        if request.path_info in {reverse(name) for name in OPEN_ADMIN_URLS}:
            return None
        step = "two_factor:verify" if user_has_device(user) else "two_factor:set_up"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
