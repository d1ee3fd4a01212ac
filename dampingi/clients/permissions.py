"""Who may register and change client records. What a user may *see* is in selectors.py.

Social workers and supervisors register clients and correct their records. Managers read
the client systems of cases in their region, never change them. Administrators manage
users and reference data: they do not handle client files.
"""

from dampingi.accounts.models import Role, User


def can_register_clients(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in (Role.WORKER, Role.SUPERVISOR))


def can_edit_clients(user: User) -> bool:
    """Change the client systems and people the user can see (selectors.client_systems_visible_to)."""
    return can_register_clients(user)
