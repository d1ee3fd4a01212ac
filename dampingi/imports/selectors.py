"""Which import runs a user sees: their own runs; administrators see every run.

A run's report names people (NIKs and names appear in the reasons), so supervisors do not
see each other's runs; an outsider asking for a run gets 404."""

from django.db.models import QuerySet
from django.http import Http404

from dampingi.accounts.models import Role, User
from dampingi.imports.models import ImportProblem, ImportRun


def runs_visible_to(user: User) -> QuerySet[ImportRun]:
    runs = ImportRun.objects.select_related("created_by", "previous_run")
    if user.role == Role.ADMINISTRATOR:
        return runs
    return runs.filter(created_by=user)


def run_for_user_or_404(user: User, pk: int) -> ImportRun:
    try:
        return runs_visible_to(user).get(pk=pk)
    except ImportRun.DoesNotExist:
        raise Http404 from None


def run_problems(run: ImportRun) -> QuerySet[ImportProblem]:
    return ImportProblem.objects.filter(run=run).order_by("line", "id")
