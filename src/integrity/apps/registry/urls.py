from django.urls import path

from . import views, views_rotation

app_name = "registry"
urlpatterns = [
    path("import/", views.import_view, name="import"),
    path("template/", views.template, name="template"),
    path("rotation/", views_rotation.rotation, name="rotation"),
    path("rotation/set/", views_rotation.set_year_rotation, name="rotation_set"),
]
