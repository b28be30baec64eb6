from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("import/", views.import_view, name="import"),
    path("template/", views.template, name="template"),
]
