"""Pages of case conferences, mounted at /cases/<case_id>/conferences/.

Reads: the case for the user (404 for outsiders), audited as a view of the case file. Writes: users
who may work on the open case (403 for those who may only read it).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dampingi.cases.permissions import can_work_on_case, get_case_for_user_or_404
from dampingi.cases.selectors import case_stakeholders
from dampingi.cases.services import case_record_view
from dampingi.conferences.forms import ConferenceForm, action_formset, filled_actions
from dampingi.conferences.selectors import conference_for_case_or_404
from dampingi.conferences.services import ActionItemError, conference_record
from dampingi.core.forms import add_service_errors
from dampingi.plans.models import Goal


@require_http_methods(["GET", "POST"])
def conference_new(request, case_id: int):
    case = get_case_for_user_or_404(request.user, case_id)
    if not (case.is_open and can_work_on_case(request.user, case)):
        raise PermissionDenied
    stakeholders = case_stakeholders(case)
    goals = list(Goal.objects.filter(plan__case=case).order_by("id"))
    data = request.POST if request.method == "POST" else None
    more = data is not None and "more" in data
    form = ConferenceForm(data, stakeholders=stakeholders)
    actions = action_formset(data, goals=goals, stakeholders=stakeholders, more=more)
    if data is not None and not more and form.is_valid() and actions.is_valid():
        rows = filled_actions(actions)
        fields = {k: v for k, v in form.cleaned_data.items()}
        try:
            conference = conference_record(actor=request.user, case=case, actions=[r for _, r in rows], **fields)
        except ActionItemError as exc:
            add_service_errors(actions.forms[rows[exc.index][0]], exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Case conference recorded."))
            return redirect(reverse("conferences:detail", args=[case.pk, conference.pk]))
    context = {"case": case, "form": form, "actions": actions, "has_plan": bool(goals)}
    return render(request, "conferences/conference_form.html", context)


@require_GET
def conference_detail(request, case_id: int, pk: int):
    case = get_case_for_user_or_404(request.user, case_id)
    conference = conference_for_case_or_404(case, pk)
    case_record_view(actor=request.user, case=case)
    return render(request, "conferences/conference_detail.html", {"case": case, "conference": conference})
