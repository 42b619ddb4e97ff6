from django.urls import path

from sponsoring import views

app_name = "sponsoring"
urlpatterns = [
    path("", views.booking_list, name="list"),
    path("reserver/", views.booking_new, name="new"),
    path("tarifs/", views.tariffs, name="tariffs"),
    path("tarifs/modifier/", views.tariff_edit, name="tariff_edit"),
    path("moderation/", views.moderation, name="moderation"),
    path("<int:pk>/", views.booking_detail, name="detail"),
    path("<int:pk>/payer/", views.pay, name="pay"),
    path("<int:pk>/moderer/", views.moderate, name="moderate"),
    path("<int:pk>/clic/", views.click, name="click"),
    path("<int:pk>/image/", views.image, name="image"),
]
