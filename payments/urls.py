from django.urls import path

from payments import views

app_name = "payments"
urlpatterns = [
    path("", views.payment_list, name="list"),
    path("<int:pk>/", views.payment_detail, name="detail"),
    path("retour/<str:reference>/", views.payment_return, name="return"),
    path("payer/<slug:purpose>/<int:target_id>/", views.payment_pay, name="pay"),
    path("rapprochement/", views.reconciliation, name="reconciliation"),
    path("rapprochement/lignes/<int:pk>/", views.line_match, name="line_match"),
    path("a-verifier/", views.review_list, name="review"),
    path("a-verifier/paiements/<int:pk>/", views.review_intent, name="review_intent"),
    path("a-verifier/evenements/<int:pk>/", views.review_event, name="review_event"),
    path("versements/", views.payout_list, name="payout_list"),
    path("versements/nouveau/", views.payout_new, name="payout_new"),
    path("versements/<int:pk>/", views.payout_detail, name="payout_detail"),
]
