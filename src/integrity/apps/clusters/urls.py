from django.urls import path

from . import views

app_name = "clusters"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:cluster_id>/", views.detail, name="detail"),
    path("<int:cluster_id>/apply/", views.application, name="application"),
    path("<int:cluster_id>/meetings/", views.meetings, name="meetings"),
    path("meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("<int:cluster_id>/dues/", views.dues, name="dues"),
    path("<int:cluster_id>/events/", views.events, name="events"),
    path("<int:cluster_id>/space/", views.space, name="space"),
    path("<int:cluster_id>/space/minutes/", views.minutes, name="minutes"),
    path("materials/<int:material_id>/", views.material, name="material"),
    # public: no sign-in
    path("calendar/", views.calendar, name="calendar"),
    path("calendar.ics", views.calendar_ics, name="calendar_ics"),
    path("<int:cluster_id>/public/", views.public, name="public"),
]
