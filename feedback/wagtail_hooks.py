from wagtail import hooks

from .admin_views import FeedbackViewSet


@hooks.register("register_admin_viewset")
def register_feedback():
    """ "Feedback" in the admin menu, for force people and the national team."""
    return FeedbackViewSet()
