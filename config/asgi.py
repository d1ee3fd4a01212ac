import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

from dampingi.core.runtime import freeze_loaded_objects  # noqa: E402 - needs the loaded apps

freeze_loaded_objects()
