"""Who may see and change a case. Every page, search and export asks this module.

A user who may not see a case gets 404 (get_case_for_user_or_404), never 403, so
that the existence of a case does not leak.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from dampingi.accounts.models import Role, Team, User
from dampingi.cases.models import Case

# The ids of the teams a supervisor or manager oversees, kept on the user object: request.user
# lives for one request, so a page that asks cases_visible_to() several times reads them once.
_TEAM_IDS_ATTR = "_dampingi_overseen_team_ids"


def _region_q(prefix: str, field: str) -> Q:
    return Q(**{field: prefix}) | Q(**{f"{field}__startswith": prefix + "."})


def overseen_team_ids(user: User) -> list[int]:
    """The teams whose cases a supervisor (the teams they supervise) or a manager (the teams of
    their region: its code or any code under it) sees; [] for everyone else.

    One query the first time per user object, none after: the ids are cached on the object
    (keyed by role and region, so a changed role or region is read again). An object that lives
    longer than a request (a script, a test fixture) keeps the ids it read first.
    """
    if user.role == Role.SUPERVISOR:
        key: tuple = (user.pk, Role.SUPERVISOR)
    elif user.role == Role.MANAGER and user.region_id:
        key = (user.pk, Role.MANAGER, user.region_id)
    else:
        return []
    cached = getattr(user, _TEAM_IDS_ATTR, None)
    if cached is not None and cached[0] == key:
        return cached[1]
    if user.role == Role.SUPERVISOR:
        teams = Team.objects.filter(supervisor=user)
    else:
        teams = Team.objects.filter(_region_q(user.region_id, "region__code"))
    ids = list(teams.order_by("pk").values_list("pk", flat=True))
    setattr(user, _TEAM_IDS_ATTR, (key, ids))
    return ids


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The cases `user` may read: assigned or team (worker), team (supervisor), region (manager).

    Supervisors and managers are filtered by `team_id IN (<ids>)` (overseen_team_ids), not by a
    join on the team: the case table's team index then serves every dashboard and list.
    """
    qs = Case.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    own = Q(assigned_worker=user) | Q(supervisor=user)
    if user.role == Role.WORKER:
        return qs.filter(own | Q(team_id=user.team_id)) if user.team_id else qs.filter(own)
    if user.role in (Role.SUPERVISOR, Role.MANAGER):
        team_ids = overseen_team_ids(user)
        return qs.filter(own | Q(team_id__in=team_ids)) if team_ids else qs.filter(own)
    # Administrators manage users and reference data; they read a case file only with a case role.
    return qs.filter(own)


def get_case_for_user_or_404(user: User, pk: int, *, for_update: bool = False) -> Case:
    qs = cases_visible_to(user).select_related(
        "client_system", "programme", "ppks", "team", "assigned_worker", "supervisor"
    )
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=pk)
    except Case.DoesNotExist:
        raise Http404 from None


def can_work_on_case(user: User, case: Case) -> bool:
    """Record casework (notes, forms, phase moves): the assigned worker, their team, the supervisor."""
    if not case.is_open and not can_approve_for_case(user, case):
        return False
    if user.role == Role.WORKER:
        return case.assigned_worker_id == user.pk or (user.team_id is not None and case.team_id == user.team_id)
    return can_approve_for_case(user, case)


def can_approve_for_case(user: User, case: Case) -> bool:
    """Approve plans and closures, reopen: the case's supervisor or the team's supervisor."""
    if user.role != Role.SUPERVISOR:
        return False
    return case.supervisor_id == user.pk or case.team.supervisor_id == user.pk


def can_open_cases(user: User) -> bool:
    return user.role in (Role.WORKER, Role.SUPERVISOR) and (user.team_id is not None or user.supervised_teams.exists())


def lock_case_for_work(user: User, case: Case) -> Case:
    """Re-read `case` under a row lock (inside the caller's transaction); PermissionDenied unless
    `user` may record casework on it. The services of the sections of a case page start here."""
    locked = Case.objects.select_for_update(of=("self",)).select_related("team").get(pk=case.pk)
    if not can_work_on_case(user, locked):
        raise PermissionDenied
    return locked


def get_case_for_work_or_403(user: User, pk: int, *, open_only: bool = False) -> Case:
    """The case for a page that records casework: 404 if `user` may not see it, PermissionDenied
    (403) if they may only read it (e.g. a manager), or if `open_only` and the case is closed."""
    case = get_case_for_user_or_404(user, pk)
    if not can_work_on_case(user, case) or (open_only and not case.is_open):
        raise PermissionDenied
    return case
