"""Two-factor pages, under the admin (registered by solh.wagtail_hooks)."""

from django.urls import path

from . import views

app_name = "two_factor"
urlpatterns = [
    path("", views.verify, name="verify"),
    path("set-up/", views.set_up, name="set_up"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
