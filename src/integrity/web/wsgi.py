import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integrity.web.settings")
application = get_wsgi_application()

# What is loaded by now (Django, the apps, the models) lives as long as the worker:
# leave it out of garbage collection, and collect less often, since requests make
# few long-lived cycles. About 2 % of the respondent pages' work.
gc.collect()
gc.freeze()
gc.set_threshold(20_000, 50, 100)
