from django.apps import AppConfig


class SolhConfig(AppConfig):
    name = "solh"
    verbose_name = "Single Online Home"

    def ready(self):
        # Every change the public could see is heard there, once, in one order.
        from . import invalidation  # noqa: F401
