import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings.prod")
application = get_wsgi_application()
# What the app loaded at start-up lives as long as the process: keep it out of every full collection.
gc.freeze()
