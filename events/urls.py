from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("publier/", views.event_new, name="new"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/inscription/", views.register, name="register"),
    path("<int:pk>/ressources/", views.resource_add, name="resource_add"),
    path("<int:pk>/versement/", views.payout_statement, name="payout"),
    path("<int:pk>/versement/releve.csv", views.payout_statement_csv, name="payout_csv"),
    path("<int:pk>/versement/demander/", views.payout_request, name="payout_request"),
    path("<int:pk>/versement/approuver/", views.payout_approve, name="payout_approve"),
    path("inscriptions/<int:pk>/payer/", views.pay, name="pay"),
    path("inscriptions/<int:pk>/presence/", views.attendance, name="attendance"),
    path("inscriptions/<int:pk>/annuler/", views.cancel, name="cancel"),
    path("inscriptions/<int:pk>/rembourser/", views.refund_retry, name="refund_retry"),
    path("inscriptions/<int:pk>/attestation.pdf", views.certificate, name="certificate"),
]
