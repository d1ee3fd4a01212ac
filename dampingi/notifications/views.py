"""The inbox, mounted at /notifications/. Everyone signed in has one and sees only their own:
another user's notification answers 404, like a missing one."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from dampingi.notifications import services
from dampingi.notifications.models import Notification
from dampingi.notifications.selectors import inbox_for


def _inbox_url() -> str:
    return reverse("notifications:inbox")


def _safe_target(request: HttpRequest, url: str) -> str:
    """`url` if it is a relative link into this site, else the inbox (no open redirect)."""
    if (
        url
        and url.startswith("/")
        and not url.startswith("//")
        and "\\" not in url
        and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    ):
        return url
    return _inbox_url()


def _mark_read(request: HttpRequest, pk: int) -> Notification:
    try:
        return services.notification_mark_read(actor=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(inbox_for(request.user), settings.DAMPINGI_PAGE_SIZE).get_page(request.GET.get("page"))
    notifications = list(page_obj.object_list)
    context = {
        "page_obj": page_obj,
        "notifications": notifications,
        "querystring_without_page": "",
    }
    return render(request, "notifications/inbox.html", context)


@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read, then go where it points (only inside the app)."""
    notification = _mark_read(request, pk)
    return redirect(_safe_target(request, notification.url))


@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    _mark_read(request, pk)
    return redirect(_inbox_url())


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(
            request,
            ngettext("%(count)d notification marked read.", "%(count)d notifications marked read.", count)
            % {"count": count},
        )
    else:
        messages.info(request, _("There was nothing unread."))
    return redirect(_inbox_url())
