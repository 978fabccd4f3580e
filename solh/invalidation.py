"""Every change the public could see, heard once and passed on in one fixed order.

Each signal below is received here and only here, and forwarded to the services that own what
it invalidates, always in this order:

1. **the version tokens** (``solh.versions`` through ``home.lookups``, ``home.site_context``
   and ``search.result_cache``): every process reads sites, routes, the site chrome and search
   results again on its next request;
2. **the page cache and the CDN** (``solh.purge``): the pages that show the change.

The order matters when a purge works out URLs: it reads sites and pages after the tokens moved,
and with Redis both steps run again when the change commits, in the same order (``on_commit``
callbacks run in the order they were registered). No other module connects receivers for these
signals.
"""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from forces.models import Force
from home import lookups
from home.site_context import invalidate_site_chrome
from search.models import PromotedResult
from search.result_cache import forget_all as forget_search_results

from . import purge


def _is_media(instance):
    return isinstance(instance, (get_image_model(), get_document_model()))


# --- Pages -----------------------------------------------------------------------------------


@receiver(page_published, dispatch_uid="invalidate_page_published")
@receiver(page_unpublished, dispatch_uid="invalidate_page_unpublished")
def _page_live_changed(sender, instance, **kwargs):
    lookups.content_changed()
    purge.purge_pages([instance])


@receiver(post_page_move, dispatch_uid="invalidate_page_moved")
def _page_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    lookups.sites_changed()
    purge.purge_moved(instance, url_path_before, url_path_after)


@receiver(page_slug_changed, dispatch_uid="invalidate_page_slug_changed")
def _slug_changed(sender, instance, instance_before, **kwargs):
    lookups.content_changed()
    purge.purge_moved(instance, instance_before.url_path, instance.url_path)


@receiver(pre_delete, sender=Page, dispatch_uid="invalidate_page_deleting")
def _page_deleting(sender, instance, **kwargs):
    # Before the rows go: its descendants are deleted with it and purged one by one.
    purge.purge_pages([instance], descendants=False)


# --- Pages, images and documents saved or deleted (any model: pages come as their own type) ---


@receiver(post_save, dispatch_uid="invalidate_saved")
def _saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if isinstance(instance, Page):
        lookups.page_saved(instance, created, update_fields)
    elif _is_media(instance):
        lookups.content_changed()
        purge.purge_media(instance, created=created)


@receiver(pre_delete, dispatch_uid="invalidate_deleting")
def _deleting(sender, instance, **kwargs):
    if _is_media(instance):
        # Before the rows go, while the reference index still names the pages using it.
        purge.purge_media(instance)


@receiver(post_delete, dispatch_uid="invalidate_deleted")
def _deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        lookups.sites_changed()
    elif _is_media(instance):
        lookups.content_changed()


# --- Sites, locales, view restrictions, forces, promotions -----------------------------------


@receiver(pre_save, sender=Site, dispatch_uid="invalidate_site_saving")
def _site_saving(sender, instance, **kwargs):
    purge.remember_site_hosts(instance)


@receiver(post_save, sender=Site, dispatch_uid="invalidate_site_saved")
@receiver(post_delete, sender=Site, dispatch_uid="invalidate_site_deleted")
def _site_changed(sender, instance, **kwargs):
    lookups.sites_changed()
    purge.purge_site(instance)


@receiver(post_save, sender=Locale, dispatch_uid="invalidate_locale_saved")
@receiver(post_delete, sender=Locale, dispatch_uid="invalidate_locale_deleted")
def _locale_changed(sender, **kwargs):
    lookups.invalidate()


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="invalidate_restriction_saved")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="invalidate_restriction_deleted")
def _restriction_changed(sender, instance, **kwargs):
    lookups.invalidate()
    purge.purge_restricted(instance)


@receiver(post_save, sender=Force, dispatch_uid="invalidate_force_saved")
@receiver(post_delete, sender=Force, dispatch_uid="invalidate_force_deleted")
def _force_changed(sender, instance, **kwargs):
    invalidate_site_chrome()
    purge.purge_force(instance)


@receiver(post_save, sender=PromotedResult, dispatch_uid="invalidate_promotion_saved")
@receiver(post_delete, sender=PromotedResult, dispatch_uid="invalidate_promotion_deleted")
def _promotion_changed(sender, **kwargs):
    forget_search_results()
