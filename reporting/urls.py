"""Public URLs of the reporting app outside the page tree."""

from django.urls import path

from . import evidence

app_name = "reporting"
urlpatterns = [
    # A short-lived link to one evidence file, for the force's back office (see download_url).
    path("evidence/<str:token>/", evidence.serve, name="evidence"),
]
