from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """An Indonesian administrative region with its Kemendagri code (PP.KK.CC.DDDD)."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        REGENCY = 2, _("regency/city")
        DISTRICT = 3, _("district")
        VILLAGE = 4, _("village")

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["parent", "name"], name="region_parent_name_idx")]

    def __str__(self) -> str:
        return self.name

    def ancestor_codes(self) -> list[str]:
        """Codes from the province down to this region, derived from the code itself."""
        parts = self.code.split(".")
        return [".".join(parts[: i + 1]) for i in range(len(parts))]

    @staticmethod
    def nik_prefix_to_code(prefix: str) -> str:
        """The district code for the first six digits of a NIK ("320405" -> "32.04.05")."""
        return f"{prefix[0:2]}.{prefix[2:4]}.{prefix[4:6]}"
