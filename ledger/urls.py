from django.urls import path

from ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:coop_id>/", views.dashboard, name="dashboard"),
    path("<int:coop_id>/recette/", views.movement, {"kind": "receipt"}, name="receipt"),
    path("<int:coop_id>/depense/", views.movement, {"kind": "payment"}, name="payment"),
    path("<int:coop_id>/virement/", views.transfer, name="transfer"),
    path("<int:coop_id>/ecritures/", views.entry_list, name="entries"),
    path("<int:coop_id>/ecritures/<int:pk>/", views.entry_detail, name="entry"),
    path("<int:coop_id>/balance/", views.trial_balance, name="trial_balance"),
    path("<int:coop_id>/grand-livre/", views.general_ledger, name="general_ledger"),
    path("<int:coop_id>/etats-financiers/", views.statements, name="statements"),
    path("<int:coop_id>/exercices/<int:year>/", views.year, name="year"),
    path(
        "<int:coop_id>/exercices/<int:year>/ristournes/<int:person_id>/",
        views.refund_statement,
        name="refund_statement",
    ),
    path(
        "<int:coop_id>/operations-des-membres/",
        views.member_transactions,
        name="member_transactions",
    ),
]
