from django.urls import path

from ussd import views

app_name = "ussd"
urlpatterns = [
    path("codes-pin/", views.pin_list, name="pin_list"),
    path("codes-pin/<int:pk>/", views.pin_set, name="pin_set"),
]
