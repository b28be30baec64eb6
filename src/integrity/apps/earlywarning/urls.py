from django.urls import path

from . import views

app_name = "earlywarning"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("issue/", views.issue, name="issue"),
    path("calendar/", views.calendar, name="calendar"),
    path("<int:alert_id>/", views.detail, name="detail"),
    path("<int:alert_id>/deliver/", views.deliver, name="deliver"),
]
