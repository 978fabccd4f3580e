"""Wagtail's page signals, forwarded to ``neighbourhoods.areas`` and ``solh.purge``.

A neighbourhood published, unpublished or moved has its postcode areas written again; a news
article published or unpublished purges the cached neighbourhood pages of its site, which list
the latest news tagged to them (a tag removed as well as one added).
"""

from django.dispatch import receiver

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from home.models import NewsPage
from solh import purge

from . import areas
from .models import NeighbourhoodPage


@receiver(page_published, dispatch_uid="neighbourhoods_published")
@receiver(page_unpublished, dispatch_uid="neighbourhoods_unpublished")
def _live_changed(sender, instance, **kwargs):
    if isinstance(instance, NeighbourhoodPage):
        areas.sync(instance)
    elif isinstance(instance, NewsPage):
        _purge_neighbourhoods_of(instance)


@receiver(post_page_move, dispatch_uid="neighbourhoods_moved")
def _moved(sender, instance, **kwargs):
    if issubclass(instance.specific_class or Page, NeighbourhoodPage):
        areas.remove(instance)
        areas.sync(instance)


def _purge_neighbourhoods_of(news):
    root = news.path[: areas.ROOT_PATH_LENGTH]
    pages = NeighbourhoodPage.objects.live().filter(path__startswith=root)
    pages = list(pages.only("id", "url_path", "path", "depth", "locale_id", "translation_key"))
    if pages:
        purge.purge_pages(pages, descendants=False)
