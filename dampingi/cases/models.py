from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dampingi.cases.phases import MoveKind, Phase


class Programme(models.Model):
    """A service programme a case belongs to (e.g. child social rehabilitation, ATENSI elderly)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class ReferralSource(models.TextChoices):
    SELF = "self", _("self")
    FAMILY = "family", _("family")
    COMMUNITY = "community", _("community")
    GOVERNMENT = "government", _("government office")
    AGENCY = "agency", _("other agency")


class Priority(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")
    URGENT = "urgent", _("urgent (risk of harm)")


class Case(models.Model):
    client_system = models.ForeignKey(
        "clients.ClientSystem", on_delete=models.PROTECT, related_name="cases", verbose_name=_("client system")
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="cases", verbose_name=_("programme")
    )
    presenting_problem = models.TextField(_("presenting problem"), max_length=4000)
    referral_source = models.CharField(_("referral source"), max_length=16, choices=ReferralSource.choices)
    referral_source_detail = models.CharField(_("referred by (name or office)"), max_length=200, blank=True)
    ppks = models.ForeignKey(
        "clients.PPKSCategory", on_delete=models.PROTECT, related_name="+", verbose_name=_("PPKS category")
    )
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    language = models.CharField(
        _("language of the case file"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="id",
        help_text=_("Printed summaries and letters of this case use this language."),
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="cases", verbose_name=_("team"))
    assigned_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        verbose_name=_("social worker"),
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervised_cases",
        verbose_name=_("supervisor"),
    )
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.ENGAGEMENT)
    phase_changed_at = models.DateTimeField(_("in this phase since"))
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["client_system", "programme"],
                condition=models.Q(closed_at__isnull=True),
                name="case_one_open_per_client_programme",
            ),
            models.CheckConstraint(condition=models.Q(phase__in=Phase.values), name="case_phase_valid"),
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True) | models.Q(phase=Phase.TERMINATION),
                name="case_closed_only_in_termination",
            ),
        ]
        indexes = [
            models.Index(fields=["assigned_worker", "closed_at", "phase"], name="case_worker_open_idx"),
            models.Index(fields=["team", "closed_at", "phase"], name="case_team_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.client_system}"

    @property
    def reference(self) -> str:
        return f"K-{self.pk:06d}" if self.pk else "K-new"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class PhaseTransition(models.Model):
    """One move of a case between phases: who, when, from, to and why. Never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_phase = models.CharField(_("from"), max_length=16, choices=Phase.choices, blank=True)
    to_phase = models.CharField(_("to"), max_length=16, choices=Phase.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=MoveKind.choices)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_phase or '-'} -> {self.to_phase}"


class Approval(models.Model):
    """A request for the supervisor's decision: a plan, an assessment, a closure or a transfer."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("plan approval")
        CLOSURE = "closure", _("closure approval")
        ASSESSMENT = "assessment", _("assessment sign-off")
        TRANSFER = "transfer", _("case transfer")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned for revision")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"], condition=models.Q(status="pending"), name="approval_one_pending_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_id}: {self.status}"


class Transfer(models.Model):
    """A request to hand the case to another worker (and team), decided by the supervisor.

    The case keeps its whole file; only who works on it changes, when the supervisor approves.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    approval = models.OneToOneField(Approval, on_delete=models.PROTECT, related_name="transfer")
    from_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    from_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    from_supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("new social worker")
    )
    to_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    to_supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason for the transfer"), max_length=2000)
    applied_at = models.DateTimeField(_("transferred"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("case transfer")
        verbose_name_plural = _("case transfers")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_worker_id} -> {self.to_worker_id}"


class Stakeholder(models.Model):
    """A person or organisation involved in a case: family, academics, community, government."""

    class Kind(models.TextChoices):
        FAMILY = "family", _("family member")
        ACADEMIC = "academic", _("academic")
        COMMUNITY = "community", _("community organisation")
        GOVERNMENT = "government", _("government office")
        OTHER = "other", _("other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stakeholders")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(
        _("organisation"),
        max_length=150,
        blank=True,
        help_text=_("e.g. LKS, Karang Taruna, puskesmas, school, village office"),
    )
    role = models.CharField(_("role in the case"), max_length=150)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class Contract(models.Model):
    """The service agreement made in Engagement."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="contract")
    focus = models.TextField(_("agreed focus"), max_length=2000)
    client_goals = models.TextField(_("goals in the client's words"), max_length=2000)
    worker_duties = models.TextField(_("duties of the social worker"), max_length=2000)
    client_duties = models.TextField(_("duties of the client"), max_length=2000)
    meeting_schedule = models.CharField(_("meeting schedule"), max_length=255)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="contract_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.start_date} – {self.end_date}"


class Consent(models.Model):
    """Consent to processing and sharing personal data (UU PDP No. 27/2022), with its proof."""

    class GivenBy(models.TextChoices):
        CLIENT = "client", _("the client")
        PARENT = "parent", _("parent")
        GUARDIAN = "guardian", _("guardian")

    class Method(models.TextChoices):
        SIGNED_PAPER = "paper", _("signed paper form")
        VERBAL_WITNESS = "verbal", _("verbal, with a witness")
        DIGITAL = "digital", _("digital")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("given by"), max_length=16, choices=GivenBy.choices)
    giver_name = models.CharField(_("name of the person consenting"), max_length=150)
    method = models.CharField(_("how"), max_length=16, choices=Method.choices)
    witness_name = models.CharField(_("witness"), max_length=150, blank=True)
    given_on = models.DateField(_("date"))
    covers_processing = models.BooleanField(_("covers processing of personal data"), default=True)
    covers_sharing = models.BooleanField(_("covers sharing with services the client is referred to"), default=False)
    scope_note = models.TextField(_("scope and limits"), blank=True, max_length=2000)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.giver_name} ({self.get_method_display()}, {self.given_on})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None and self.covers_processing


class ActivityNote(models.Model):
    """A record of work with the client system: a visit, a session, a call, a conference."""

    class Kind(models.TextChoices):
        INTAKE = "intake", _("intake interview")
        HOME_VISIT = "home_visit", _("home visit")
        COUNSELLING = "counselling", _("counselling")
        GROUP_SESSION = "group_session", _("group session")
        PHONE_CALL = "phone_call", _("phone or video call")
        CASE_CONFERENCE = "case_conference", _("case conference")
        ADVOCACY = "advocacy", _("advocacy")
        REFERRAL = "referral", _("referral")
        OTHER = "other", _("other")

    # Indexed with the date (Meta.indexes), not alone.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="activity_notes", db_index=False)
    kind = models.CharField(_("kind of activity"), max_length=20, choices=Kind.choices)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    occurred_on = models.DateField(_("date"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    participants = models.CharField(_("participants"), max_length=500, blank=True)
    narrative = models.TextField(_("narrative"), max_length=8000)
    task = models.ForeignKey(
        "plans.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notes",
        verbose_name=_("plan task"),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("activity note")
        verbose_name_plural = _("activity notes")
        indexes = [
            # A case's notes newest first (read backwards), and "a note since <date>?" / "the
            # latest note" per case from the index alone: the supervisor's list of cases without
            # recent activity probes it once per case instead of reading every recent note.
            models.Index(fields=["case", "occurred_on", "id"], name="activitynote_case_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__isnull=True) | models.Q(duration_minutes__lte=24 * 60),
                name="activity_duration_at_most_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class Termination(models.Model):
    """How and why the work ended; the supervisor approves the closure."""

    class Reason(models.TextChoices):
        GOALS_ACHIEVED = "goals_achieved", _("goals achieved")
        CLIENT_REQUEST = "client_request", _("at the client's request")
        REFERRED = "referred", _("referred or transferred")
        MOVED = "moved", _("moved away")
        LOST_CONTACT = "lost_contact", _("lost contact")
        DIED = "died", _("died")
        OTHER = "other", _("other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="terminations")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    summary = models.TextField(_("summary"), max_length=8000)
    followup_date = models.DateField(_("follow-up date"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("termination")
        verbose_name_plural = _("terminations")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_reason_display()}"
