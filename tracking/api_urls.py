from django.urls import path

from . import api

app_name = "tracking_api"
urlpatterns = [
    path("reports/<str:reference>/updates/", api.updates, name="updates"),
]
