"""Guards in front of the few Wagtail admin views that show other forces' content unchecked.

Included in ``solh.urls`` ahead of Wagtail's admin URLs, on the same addresses, so ``reverse``
and every link Wagtail renders still lead here. Each guard refuses what the user may not see and
otherwise hands the request to Wagtail's own view, or to a subclass of it that narrows what it
lists (``forces.views``). Superusers always get Wagtail's view as it is.
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from taggit.models import Tag
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.bulk_action.dispatcher import index as wagtail_bulk_action
from wagtail.admin.views.chooser import BrowseView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.tags import TAGS_AUTOCOMPLETE_LIMIT
from wagtail.admin.views.tags import autocomplete as wagtail_tag_autocomplete
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.utils.urlpatterns import decorate_urlpatterns
from wagtail_localize.models import TranslationSource
from wagtail_localize.views.report import TranslationsReportView
from wagtail_localize.views.submit_translations import SubmitPageTranslationView
from wagtail_localize.views.update_translations import UpdateTranslationsView

from .scoping import can_see_in_chooser, objects_user_may_work_on, tags_of_own
from .views import OwnDocumentsIndexView, OwnImagesIndexView, OwnTagsImageChooserViewSet

wagtail_browse = BrowseView.as_view()
wagtail_confirm_cancellation = page_viewset_registry.as_view(
    "confirm_workflow_cancellation", page_id_kwarg="page_id"
)
image_chooser = OwnTagsImageChooserViewSet(
    "wagtailimages_chooser", model=get_image_model(), url_prefix="images/chooser"
)
wagtail_page_types_usage = PageTypesUsageReportView.as_view()
localize_submit_page = SubmitPageTranslationView.as_view()
localize_update = UpdateTranslationsView.as_view()
localize_report = TranslationsReportView.as_view()
localize_report_results = TranslationsReportView.as_view(results_only=True)
wagtail_page_types_usage_results = PageTypesUsageReportView.as_view(results_only=True)


def browse_pages(request, parent_page_id):
    # Wagtail filters the children but shows the parent page's title whatever it is.
    parent = get_object_or_404(Page, pk=parent_page_id)
    if not can_see_in_chooser(parent, request.user):
        raise Http404
    return wagtail_browse(request, parent_page_id=parent_page_id)


def confirm_workflow_cancellation(request, page_id):
    # Wagtail answers for any page, telling whether it is in moderation and in which workflow.
    perms = get_object_or_404(Page, pk=page_id).permissions_for_user(request.user)
    if not (perms.can_edit() or perms.can_publish()):
        raise PermissionDenied
    return wagtail_confirm_cancellation(request, page_id=page_id)


def bulk_action(request, app_label, model_name, action):
    # Wagtail's confirmation lists the titles of every chosen object the user may not act on.
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    permitted = objects_user_may_work_on(model, request.user)
    if permitted is not None:
        wanted = [value for value in request.GET.getlist("id") if value != "all"]
        if issubclass(model, Page):
            if "all" in request.GET.getlist("id"):
                # "All" means every page under childOf (the whole tree without it).
                wanted.append(request.GET.get("childOf") or "0")
            if request.method == "POST" and "chooser" in request.POST:
                # A move's destination: refusing it names the destination page.
                wanted.append(request.POST["chooser"])
        if not all(value.isdigit() for value in wanted):
            raise Http404
        wanted = {int(value) for value in wanted}
        if permitted.filter(pk__in=wanted).count() != len(wanted):
            raise Http404
    return wagtail_bulk_action(request, app_label, model_name, action)


def page_types_usage(request, results_only=False):
    # The report counts and names the latest edited page of each type across every site.
    if not request.user.is_superuser:
        raise PermissionDenied
    if results_only:
        return wagtail_page_types_usage_results(request)
    return wagtail_page_types_usage(request)


def submit_page_translation(request, page_id):
    # wagtail-localize lets anyone holding "submit translation" translate any page, anywhere.
    page = get_object_or_404(Page, pk=page_id)
    if not request.user.is_superuser and not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return localize_submit_page(request, page_id=page_id)


def update_translations(request, translation_source_id):
    # The same for syncing a page's translations with it.
    source = get_object_or_404(TranslationSource, pk=translation_source_id)
    if not request.user.is_superuser:
        instance = source.get_source_instance()
        if (
            not isinstance(instance, Page)
            or not instance.permissions_for_user(request.user).can_edit()
        ):
            raise PermissionDenied
    return localize_update(request, translation_source_id=translation_source_id)


def translations_report(request, results_only=False):
    # The translations report lists every site's translated pages.
    if not request.user.is_superuser:
        raise PermissionDenied
    if results_only:
        return localize_report_results(request)
    return localize_report(request)


def tag_autocomplete(request, app_name=None, model_name=None):
    # Wagtail suggests every tag on the platform: a force's users get only their media's tags.
    shared_tags = app_name is None or (app_name, model_name) == ("taggit", "tag")
    if request.user.is_superuser or not shared_tags:
        return wagtail_tag_autocomplete(request, app_name, model_name)
    term = request.GET.get("term", "")
    if not term:
        return JsonResponse([], safe=False)
    used = tags_of_own(get_image_model(), request.user) | tags_of_own(
        get_document_model(), request.user
    )
    names = (
        Tag.objects.filter(used, name__istartswith=term)
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)
    )
    return JsonResponse(list(names[:TAGS_AUTOCOMPLETE_LIMIT]), safe=False)


urlpatterns = decorate_urlpatterns(
    [
        path("choose-page/<int:parent_page_id>/", browse_pages),
        path(
            "pages/workflow/confirm_cancellation/<int:page_id>/",
            confirm_workflow_cancellation,
        ),
        path("bulk/<str:app_label>/<str:model_name>/<str:action>/", bulk_action),
        path("images/", OwnImagesIndexView.as_view()),
        path("images/results/", OwnImagesIndexView.as_view(results_only=True)),
        path("images/chooser/", image_chooser.choose_view),
        path("documents/", OwnDocumentsIndexView.as_view()),
        path("documents/results/", OwnDocumentsIndexView.as_view(results_only=True)),
        path("tag-autocomplete/", tag_autocomplete),
        path("tag-autocomplete/<slug:app_name>/<slug:model_name>/", tag_autocomplete),
        path("reports/page-types-usage/", page_types_usage),
        path("reports/page-types-usage/results/", page_types_usage, {"results_only": True}),
        path("localize/submit/page/<int:page_id>/", submit_page_translation),
        path("localize/update/<int:translation_source_id>/", update_translations),
        path("localize/reports/translations/", translations_report),
        path(
            "localize/reports/translations/results/",
            translations_report,
            {"results_only": True},
        ),
    ],
    require_admin_access,
)
