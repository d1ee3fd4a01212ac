import datetime

from django.utils import timezone

from dampingi.audit.models import AuditEvent
from dampingi.instruments.definitions import digital_v1
from dampingi.instruments.models import Administration, PieEntry, PieHealthEntry, ScreeningAnswer, ScreeningProblem


def assert_clean(response):
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content, response.content.decode()[:2000]


def counts():
    from dampingi.assessments.models import Problem

    models = [Administration, PieEntry, PieHealthEntry, ScreeningAnswer, ScreeningProblem, Problem]
    data = {m.__name__: m.objects.count() for m in models}
    data["audit_writes"] = AuditEvent.objects.exclude(action="case.view").count()
    return data


def answers(**ratings):
    """Every screening item rated 0 with empty notes, except the ones given (key=(rating, notes) or rating)."""
    result = {key: (0, "") for key in digital_v1.ITEMS}
    for key, value in ratings.items():
        result[key] = value if isinstance(value, tuple) else (value, "")
    return result


def today(days_ago=0):
    return timezone.localdate() - datetime.timedelta(days=days_ago)


def role(**overrides):
    data = {"role": "child", "problem_type": "dependency", "severity": 3, "duration": 2, "coping": 3, "strengths": ""}
    data.update(overrides)
    return data


def environment(**overrides):
    data = {"problem": "lack_of_food", "detail": "", "severity": 4, "duration": 3}
    data.update(overrides)
    return data
