from django.urls import path

from . import views

app_name = "tracking"
urlpatterns = [
    path("", views.start, name="start"),
    path("code/", views.code, name="code"),
    path("report/", views.report, name="report"),
    path("add-information/", views.add, name="add"),
    path("information-sent/", views.sent, name="sent"),
]
