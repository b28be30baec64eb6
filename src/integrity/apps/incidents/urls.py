from django.urls import path

from . import views

app_name = "incidents"
urlpatterns = [
    path("", views.my_cases, name="mine"),
    path("<int:case_id>/rebut/", views.rebut, name="rebut"),
]
