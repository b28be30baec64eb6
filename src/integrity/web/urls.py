from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "청렴도 측정 관리"
admin.site.site_title = "청렴도 측정"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="results:list", permanent=False)),
    path("results/", include("integrity.apps.results.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
