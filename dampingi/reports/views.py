"""The home page of each role (the dashboards) and the "see all" lists behind them.

Every dashboard reads through dampingi.cases.permissions (cases_visible_to; for managers, the
teams of their region, whose counts come from the case tally) and runs a fixed number of queries
whatever the number of cases (see selectors.py). Managers see aggregate figures only, with
small-cell suppression; administrators see no case data.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from dampingi.accounts.models import Role, User
from dampingi.cases.permissions import cases_visible_to
from dampingi.reports import selectors
from dampingi.reports.forms import PeriodForm

# The administration pages linked from the administrator's home: (admin URL name, label).
ADMIN_LINKS = [
    ("admin:accounts_user_changelist", _("Users")),
    ("admin:accounts_team_changelist", _("Teams")),
    ("admin:regions_region_changelist", _("Regions")),
    ("admin:clients_ppkscategory_changelist", _("PPKS categories")),
    ("admin:cases_programme_changelist", _("Programmes")),
    ("admin:audit_auditevent_changelist", _("Audit log")),
]


def _with_vary(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    today = timezone.localdate()
    context: dict = {"today": today, "role": user.role}
    if user.role == Role.PARTNER:
        return redirect("referrals:inbox")
    if user.role == Role.WORKER:
        context.update(selectors.worker_home(user, today))
    elif user.role == Role.SUPERVISOR:
        context.update(selectors.supervisor_home(user, today))
    elif user.role == Role.MANAGER:
        return _manager_home(request, context)
    elif user.role == Role.ADMINISTRATOR:
        context["admin_links"] = _admin_links()
        context["users_by_role"] = selectors.users_by_role()
    return render(request, "reports/home.html", context)


def _manager_home(request: HttpRequest, context: dict) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    start = end = None
    if form.is_bound and form.is_valid():
        start, end = selectors.month_bounds(form.cleaned_data["start"], form.cleaned_data["end"])
    context.update(
        form=form,
        period_start=start,
        period_end=end,
        region=request.user.region,
        **selectors.manager_home(request.user, start=start, end=end),
    )
    template = "reports/_manager.html#figures" if request.htmx else "reports/home.html"
    return _with_vary(render(request, template, context))


def _admin_links() -> list[dict]:
    links = []
    for name, label in ADMIN_LINKS:
        try:
            links.append({"url": reverse(name), "label": label})
        except NoReverseMatch:
            continue  # that model is not in the admin of this install
    return links


# --- "see all" lists ------------------------------------------------------------------------------


def _own_scope(user: User):
    """The cases a list page covers: the worker's own cases, or everything the supervisor sees."""
    if user.role == Role.WORKER:
        return cases_visible_to(user).filter(assigned_worker=user)
    if user.role == Role.SUPERVISOR:
        return cases_visible_to(user)
    raise Http404  # managers and administrators have no such lists


def _page(request: HttpRequest, qs) -> dict:
    paginator = Paginator(qs, settings.DAMPINGI_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return {"page_obj": page_obj, "querystring_without_page": f"{encoded}&" if encoded else ""}


@require_GET
def overdue_tasks(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = _page(request, selectors.overdue_tasks(_own_scope(request.user), today))
    context["tasks"] = selectors.with_days_overdue(context["page_obj"].object_list, today)
    return render(request, "reports/overdue_tasks.html", context)


@require_GET
def followups(request: HttpRequest) -> HttpResponse:
    overdue = request.GET.get("when") == "overdue"
    qs = selectors.followups(_own_scope(request.user), timezone.localdate(), overdue=overdue)
    context = _page(request, qs)
    context.update(overdue=overdue, ahead=selectors.FOLLOWUP_AHEAD_DAYS, behind=selectors.FOLLOWUP_OVERDUE_DAYS)
    return render(request, "reports/followups.html", context)


@require_GET
def inactive_cases(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = _page(request, selectors.inactive_cases(_own_scope(request.user), today))
    context["inactive_days"] = selectors.INACTIVE_DAYS
    return render(request, "reports/inactive_cases.html", context)
