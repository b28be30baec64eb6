from django.urls import path

from . import monitoring_views as views

app_name = "monitoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("signals/", views.signals, name="signals"),
]
