from django.urls import path

from wagtail import hooks

from .admin_views import URL_NAME, PostUpdateView


@hooks.register("register_admin_urls")
def register_post_update_url():
    """A handler's "Post a status update", beside the report's own page."""
    return [path("public-reports/<uuid:pk>/post-update/", PostUpdateView.as_view(), name=URL_NAME)]
