from django.urls import path

from . import views

app_name = "residents"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_frame, name="import"),
    path("imports/<int:import_id>/", views.import_detail, name="import_detail"),
    path("imports/<int:import_id>/report/", views.import_report, name="import_report"),
    path("bodies/<int:institution_id>/", views.body, name="body"),
    path("bodies/<int:institution_id>/draw/", views.draw, name="draw"),
    path("bodies/<int:institution_id>/allocation.xlsx", views.allocation_download, name="allocation_download"),
]
