from django.db import transaction

from dampingi.accounts.models import User
from dampingi.audit.services import audit_record


def user_set_language(*, actor: User, language: str) -> None:
    """The user switches the interface language; kept on their account."""
    before = actor.language
    if before == language:
        return
    with transaction.atomic():
        User.objects.filter(pk=actor.pk).update(language=language)
        actor.language = language
        audit_record(
            actor=actor, action="user.language", target=actor, before={"language": before}, after={"language": language}
        )
