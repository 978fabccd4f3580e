from wagtail import hooks

from .admin_views import InsightViewSet


@hooks.register("register_admin_viewset")
def register_journey_insight():
    """ "Journey insight" in the admin menu, for anyone who may see a force's insight."""
    return InsightViewSet()
