from django.db import models  # noqa: F401  (dashboards read other apps; no models of their own yet)
