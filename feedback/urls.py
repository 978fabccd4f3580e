"""Feedback endpoints, in every site's languages (``/feedback/…``, ``/cy/feedback/…``)."""

from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("", views.site_feedback, name="site"),
    path("thanks/", views.thanks, name="thanks"),
    path("page/", views.page_useful, name="page"),
    path("page/thanks/", views.page_thanks, name="page_thanks"),
    path("page/problem/", views.page_problem, name="page_problem"),
    path("service/", views.satisfaction, name="service"),
]
