from django.apps import AppConfig


class SolhConfig(AppConfig):
    name = "solh"
    verbose_name = "Single Online Home"

    def ready(self):
        from . import purge  # noqa: F401  (connects the page cache's purges)
