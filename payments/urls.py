from django.urls import path

from payments import views

app_name = "payments"
urlpatterns = [
    path("", views.payment_list, name="list"),
    path("<int:pk>/", views.payment_detail, name="detail"),
    path("retour/<str:reference>/", views.payment_return, name="return"),
    path("payer/<slug:purpose>/<int:target_id>/", views.payment_pay, name="pay"),
]
