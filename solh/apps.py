from django.apps import AppConfig


class SolhConfig(AppConfig):
    name = "solh"
    verbose_name = "Single Online Home"
