"""Admin sign-in: the page a locked-out client sees, and the admin session's idle timeout.

Counting failures and locking out is django-axes' job (settings ``AXES_*``, README "Security");
this module only says so on Wagtail's sign-in page and ends sessions nobody is using.
"""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext

from wagtail.admin.views.account import get_user_login_form, password_reset_enabled

logger = logging.getLogger(__name__)

# When the session last made a request (seconds since the epoch).
LAST_ACTIVITY_KEY = "solh_last_activity"
# The last activity is written at most this often, so an active admin does not save their
# session on every request; the timeout is exact to within this.
ACTIVITY_RESOLUTION_SECONDS = 60


def lockout_message(minutes):
    """What a locked-out person is told, in the active language."""
    return ngettext(
        "You have tried to sign in too many times. Wait %(minutes)d minute, then try again.",
        "You have tried to sign in too many times. Wait %(minutes)d minutes, then try again.",
        minutes,
    ) % {"minutes": minutes}


def locked_out_response(request, original_response=None, credentials=None):
    """Wagtail's sign-in page with the lockout message, and status 429 (``AXES_LOCKOUT_CALLABLE``).

    The form is empty: nothing typed is sent back, and no password is checked while locked out.
    """
    context = {
        "form": get_user_login_form()(request=request),
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "show_password_reset": password_reset_enabled(),
        "locked_out_message": lockout_message(settings.ADMIN_SIGNIN_LOCKOUT_MINUTES),
    }
    return render(request, "solh/signin/locked_out.html", context, status=429)


class AdminIdleTimeoutMiddleware:
    """Sign out a session that has made no request for ``ADMIN_SESSION_IDLE_MINUTES``.

    Only signed-in sessions are looked at (the public has none). The request then goes on
    signed out, so the admin sends the person to its sign-in page and back afterwards.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if SESSION_KEY in request.session:
            self.check(request)
        return self.get_response(request)

    def check(self, request):
        now = int(time.time())
        last = request.session.get(LAST_ACTIVITY_KEY)
        minutes = settings.ADMIN_SESSION_IDLE_MINUTES
        if last is not None and now - last > minutes * 60:
            user_id = request.session.get(SESSION_KEY)
            logout(request)
            logger.info("admin session of user %s ended after %d idle minutes", user_id, minutes)
            messages.info(
                request,
                ngettext(
                    "You have been signed out because you did not use the admin for %(minutes)d "
                    "minute. Sign in again to continue.",
                    "You have been signed out because you did not use the admin for %(minutes)d "
                    "minutes. Sign in again to continue.",
                    minutes,
                )
                % {"minutes": minutes},
            )
        elif (last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS) and not self.is_background(
            request
        ):
            request.session[LAST_ACTIVITY_KEY] = now

    @staticmethod
    def is_background(request):
        # The page editor pings every few seconds while it is open: that is not a person using
        # the admin, and must not keep an unattended session alive.
        return request.path_info.startswith(reverse("wagtailadmin_home") + "editing-sessions/")
