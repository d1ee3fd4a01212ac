import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from dampingi.core.runtime import freeze_loaded_objects  # noqa: E402 - needs the loaded apps

freeze_loaded_objects()
