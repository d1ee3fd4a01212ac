"""Reads of notifications: a user only ever reads their own."""

from django.db.models import QuerySet

from dampingi.accounts.models import User
from dampingi.notifications.models import Notification


def inbox_for(user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first (the page marks the unread ones)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count_for(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
