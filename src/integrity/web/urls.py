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
    path("incidents/", include("integrity.apps.incidents.urls")),
    path("results/", include("integrity.apps.results.urls")),
    path("api/v1/", api.urls),
    path("monitoring/", include("integrity.apps.fieldwork.monitoring_urls")),
    path("", include("integrity.apps.fieldwork.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
