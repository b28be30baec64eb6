from django.urls import path

from . import views

app_name = "fieldwork"
urlpatterns = [
    path("s/<str:token>/", views.survey, name="survey"),
    path("s/<str:token>/thanks/", views.thanks, name="thanks"),
    path("s/<str:token>/opt-out/", views.opt_out, name="opt_out"),
    path("s/<str:token>/opt-in/", views.opt_in, name="opt_in"),
    path("s/<str:token>/phone/", views.phone, name="phone"),
    path("s/<str:token>/resend/", views.resend, name="resend"),
    path("s/<str:token>/language/<str:code>/", views.language, name="language"),
    path("calls/", views.call_list, name="calls"),
    path("calls/<int:assignment_id>/", views.call, name="call"),
    path("calls/<int:assignment_id>/attempt/", views.record_attempt, name="record_attempt"),
    path("calls/<int:assignment_id>/survey/", views.call_survey, name="call_survey"),
]
