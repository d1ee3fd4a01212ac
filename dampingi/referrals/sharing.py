"""What a referral may share with the receiving organisation: named sections, least data by default.

The reason, urgency and answer-by date are the request itself and always travel with it. Of the
client's data, only the basic identity is shared unless the worker ticks more; each section says
what it contains so that the worker (and the client giving consent) know what leaves the case file.
`dampingi.referrals.selectors.shared_view` is the one reader of shared data.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    IDENTITY = "identity-basic", _("Basic identity")
    NIK = "nik", _("NIK (national identity number)")
    CONTACT = "contact", _("Contact")
    DISABILITY = "disability", _("Disability")
    PRESENTING_PROBLEM = "presenting-problem", _("Presenting problem")
    ASSESSMENT_SUMMARY = "assessment-summary", _("Assessment summary")
    PLAN_GOALS = "plan-goals", _("Goals of the intervention plan")
    NOTES = "notes", _("Notes for the service")


EXPLANATIONS = {
    Section.IDENTITY: _("Name, age, sex and village or district. Always shared: the service must know whom to expect."),
    Section.NIK: _("The NIK, only when the service needs it to register the client (e.g. BPJS, civil registry)."),
    Section.CONTACT: _("Phone number and address of the client, so that the service can reach them."),
    Section.DISABILITY: _("Kind of disability and details, when the service must prepare access or support."),
    Section.PRESENTING_PROBLEM: _("The problem as the client or the referrer described it at intake."),
    Section.ASSESSMENT_SUMMARY: _("The summary of the latest assessment (not the risks, ratings or instruments)."),
    Section.PLAN_GOALS: _("The goals of the intervention plan, without tasks or scores."),
    Section.NOTES: _("The notes you write below for this service only."),
}

# Shared whatever the worker ticks (and preselected, not removable).
REQUIRED = (Section.IDENTITY,)
# The default: the least data a service needs to answer a referral.
MINIMUM = (Section.IDENTITY,)


def normalise(sections) -> list[str]:
    """The given section keys, known ones only, in the order of Section, with the required ones added."""
    chosen = {str(s) for s in sections or ()} | {s.value for s in REQUIRED}
    return [s.value for s in Section if s.value in chosen]


def unknown(sections) -> list[str]:
    return sorted({str(s) for s in sections or ()} - set(Section.values))
