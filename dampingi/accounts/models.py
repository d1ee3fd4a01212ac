from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    WORKER = "worker", _("social worker")
    SUPERVISOR = "supervisor", _("supervisor")
    MANAGER = "manager", _("manager")
    ADMINISTRATOR = "admin", _("administrator")
    PARTNER = "partner", _("partner organisation staff")


class Team(models.Model):
    """A team or office of workers, e.g. "Dinas Sosial Kab. Bandung — Tim Cileunyi"."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="teams", verbose_name=_("region")
    )
    supervisor = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_teams",
        verbose_name=_("supervisor"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.WORKER)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("team")
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("For managers: the region whose cases they may read."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=[("id", "Bahasa Indonesia"), ("en", "English")], default="id"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["worker", "supervisor", "manager", "admin", "partner"]),
                name="user_role_valid",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_worker(self) -> bool:
        return self.role == Role.WORKER

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def is_partner(self) -> bool:
        return self.role == Role.PARTNER
