from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("", views.result_list, name="list"),
    path("download.<str:fmt>", views.download, name="download"),
    path("method/", views.methodology, name="method"),
    path("runs/", views.runs, name="runs"),
    path("runs/start/", views.start_run, name="start_run"),
    path("runs/view/", views.view_run, name="view_run"),
    path("runs/<int:pk>/publish/", views.publish_run, name="publish"),
    path("<str:code>/", views.result_detail, name="detail"),
    path("<str:code>/report.pdf", views.result_pdf, name="pdf"),
]
