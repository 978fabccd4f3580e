"""The public Wagtail API v2, scoped to the site of the request.

Pages are scoped to the requesting site by Wagtail itself; images and documents are narrowed
here to the requesting force's collection (and the national one), so one force's API never lists
another force's media.
"""

from django.db.models import Q

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from forces.collections import national_collection
from forces.site_context import get_site_context


def media_visible_on_site(queryset, request):
    """Restrict an image or document queryset to the site's force and national collections."""
    force = get_site_context(request).force
    national = national_collection()
    visible = Q(collection=national) if national else Q(pk__in=[])
    if force and force.collection_id:
        visible |= Q(collection_id=force.collection_id)
    return queryset.filter(visible)


class SiteImagesAPIViewSet(ImagesAPIViewSet):
    def get_queryset(self):
        return media_visible_on_site(super().get_queryset(), self.request)


class SiteDocumentsAPIViewSet(DocumentsAPIViewSet):
    def get_queryset(self):
        return media_visible_on_site(super().get_queryset(), self.request)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", SiteImagesAPIViewSet)
api_router.register_endpoint("documents", SiteDocumentsAPIViewSet)
