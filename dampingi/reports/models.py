"""The reports app reads other apps' records; its one table is a summary kept current by the services.

CaseTally holds the counts the manager's dashboard shows (cases by phase, by PPKS category and
by district, open and closed, by the month they were opened), per team, so that the dashboard
sums a few thousand tally rows instead of aggregating every case of a region on every request.
dampingi.reports.tally writes it, in the transaction of the case or client-system write that
changes a count; rebuild_case_tally recomputes it from the cases (and checks it, --check).
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseTally(models.Model):
    """How many cases of a team opened in a month are open and closed, by one dimension.

    Three dimensions, one row per (team, month, dimension, bucket):
    - phase: bucket = the phase value;
    - ppks: bucket = the PPKS category id (as text);
    - district: bucket = the first 8 characters of the client system's region code
      ("32.04.05"), "" when the client system has no region.
    Every case is counted once in each dimension, so the phase rows alone give the totals.

    Each case is counted twice per dimension: in the row of the month it was opened, and in the
    row of ALL_MONTHS (month = 0001-01-01), which counts every month. The dashboard without a
    period reads only the ALL_MONTHS rows: about 60 per team, where the monthly rows are nearly
    as many as the cases (26 PPKS categories x 9 years of months x ~900 cases per team).
    A count that falls back to 0 keeps its row (rows are never deleted by the services).
    """

    ALL_MONTHS = datetime.date(1, 1, 1)

    class Dimension(models.TextChoices):
        PHASE = "phase", _("phase")
        PPKS = "ppks", _("PPKS category")
        DISTRICT = "district", _("district")

    # No index of its own: the unique constraint below starts with the team.
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("team")
    )
    month = models.DateField(_("month opened"), help_text=_("The first day of the month the cases were opened."))
    dimension = models.CharField(_("dimension"), max_length=8, choices=Dimension.choices)
    bucket = models.CharField(_("value"), max_length=16, blank=True)
    n_open = models.IntegerField(_("open cases"), default=0)
    n_closed = models.IntegerField(_("closed cases"), default=0)

    class Meta:
        verbose_name = _("case tally")
        verbose_name_plural = _("case tallies")
        constraints = [
            models.UniqueConstraint(fields=["team", "month", "dimension", "bucket"], name="case_tally_key"),
        ]

    def __str__(self) -> str:
        return f"{self.team_id} {self.month:%Y-%m} {self.dimension}={self.bucket}: {self.n_open}/{self.n_closed}"
