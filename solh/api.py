"""The public Wagtail API v2, scoped to the site of the request.

Pages are scoped to the requesting site by Wagtail itself (its ``site`` parameter, which would
name another site, is refused); images and documents are narrowed
here to the requesting force's collection (and the national one), so one force's API never lists
another force's media.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from forces.collections import national_collection
from home.site_context import get_site_context


def media_visible_on_site(queryset, request):
    """Restrict an image or document queryset to the site's force and national collections."""
    force = get_site_context(request).force
    national = national_collection()
    visible = Q(collection=national) if national else Q(pk__in=[])
    if force and force.collection_id:
        visible |= Q(collection_id=force.collection_id)
    return queryset.filter(visible)


# Beyond PostgreSQL's integers (OFFSET is a bigint), and beyond any listing there will be.
MAX_OFFSET = 2**31 - 1


class CheckedParameters:
    """Refuse with a 400 and a message what Wagtail's API would answer with a 500: NUL in any
    parameter (PostgreSQL cannot take it in text), a ``search_operator`` other than "and" or
    "or", an offset beyond the database's integers, an ``id`` to find that is not a number."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise BadRequestError(_("Query parameters cannot contain NUL characters"))
        if request.GET.get("search_operator", "and") not in ("and", "or"):
            raise BadRequestError(_("search_operator must be and or or"))
        try:
            offset = int(request.GET.get("offset", 0))
        except ValueError:
            return  # Wagtail says "offset must be a positive integer"
        if offset > MAX_OFFSET:
            raise BadRequestError(_("offset must be %(max)s or less") % {"max": MAX_OFFSET})

    def find_object(self, queryset, request):
        try:
            return super().find_object(queryset, request)
        except (TypeError, ValueError) as error:
            raise BadRequestError(_("id must be a whole number")) from error


class SitePagesAPIViewSet(CheckedParameters, PagesAPIViewSet):
    # Wagtail's ``site`` parameter would list another site's pages: each site's API is its own.
    known_query_parameters = PagesAPIViewSet.known_query_parameters - {"site"}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if "site" in request.GET:  # refused by the detail and find views too
            raise BadRequestError(_("site is not a parameter here: each site lists its own pages"))


class SiteImagesAPIViewSet(CheckedParameters, ImagesAPIViewSet):
    def get_queryset(self):
        return media_visible_on_site(super().get_queryset(), self.request)


class SiteDocumentsAPIViewSet(CheckedParameters, DocumentsAPIViewSet):
    def get_queryset(self):
        return media_visible_on_site(super().get_queryset(), self.request)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", SitePagesAPIViewSet)
api_router.register_endpoint("images", SiteImagesAPIViewSet)
api_router.register_endpoint("documents", SiteDocumentsAPIViewSet)
