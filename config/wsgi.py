import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Web requests only: the worker (manage.py qcluster) never imports this module.
from core.statements import bound_web_statements  # noqa: E402

bound_web_statements()
