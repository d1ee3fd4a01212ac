"""`notifications_unread` for the navigation badge (settings TEMPLATES context_processors)."""

from django.utils.functional import SimpleLazyObject

from dampingi.notifications.selectors import unread_count_for


def unread_count(request) -> dict:
    """The signed-in user's unread count, 0 for anonymous visitors.

    Lazy: the one COUNT query runs only when a template shows it (base.html's navigation), once
    per request; fragments that do not extend base.html cost nothing.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notifications_unread": 0}
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count_for(user))}
