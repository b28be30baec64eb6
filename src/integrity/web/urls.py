from django.contrib import admin
from django.urls import include, path

from integrity.apps.results.api import api

from . import views

admin.site.site_header = "청렴도 측정 관리"
admin.site.site_title = "청렴도 측정"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("integrity.apps.accounts.urls")),
    path("rosters/", include("integrity.apps.rosters.urls")),
    path("registry/", include("integrity.apps.registry.urls")),
    path("sampling/", include("integrity.apps.sampling.urls")),
    path("residents/", include("integrity.apps.residents.urls")),
    path("incidents/", include("integrity.apps.incidents.urls")),
    path("effort/", include("integrity.apps.effort.urls")),
    path("results/", include("integrity.apps.results.urls")),
    path("schedule/", include("integrity.apps.schedule.urls")),
    path("clusters/", include("integrity.apps.clusters.urls")),
    path("warnings/", include("integrity.apps.earlywarning.urls")),
    path("programme/", include("integrity.apps.programme.urls")),
    path("report/", include("integrity.apps.reporting.urls")),
    path("api/v1/", api.urls),
    path("monitoring/", include("integrity.apps.fieldwork.monitoring_urls")),
    path("", include("integrity.apps.fieldwork.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# Korean error pages in the site's layout (web/errors.py).
handler400 = "integrity.web.errors.bad_request"
handler403 = "integrity.web.errors.permission_denied"
handler404 = "integrity.web.errors.page_not_found"
handler500 = "integrity.web.errors.server_error"
