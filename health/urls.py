from django.urls import path

from health import views

app_name = "health"
urlpatterns = [
    path("", views.index, name="index"),
    path("menages/nouveau/", views.household_enrol, name="household_enrol"),
    path("menages/<int:pk>/", views.household_detail, name="household_detail"),
    path("menages/<int:household_pk>/demande/", views.claim_enter, name="claim_enter"),
    path("menages/<int:pk>/cartes.pdf", views.household_cards, name="household_cards"),
    path("carte/verifier/", views.card_verify, name="card_verify"),
    path("carte/hors-ligne/", views.card_offline, name="card_offline"),
    path(
        "menages/<int:pk>/photo/<int:person_pk>/",
        views.household_photo,
        name="household_photo",
    ),
    path("rapports/", views.report, name="report"),
    path("mutuelles/<int:pk>/comptes/", views.scheme_books, name="scheme_books"),
    path("mutuelles/<int:pk>/comptes/exercice/<int:year>/", views.scheme_year, name="scheme_year"),
    path("arrieres/", views.arrears, name="arrears"),
    path("demandes/", views.claim_list, name="claim_list"),
    path("demandes/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("demandes/<int:pk>/<slug:action>/", views.claim_step, name="claim_step"),
]
