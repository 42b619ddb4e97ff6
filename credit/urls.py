from django.urls import path

from credit import views

app_name = "credit"
urlpatterns = [
    path("produits/", views.product_list, name="product_list"),
    path("produits/nouveau/", views.product_create, name="product_create"),
    path("prets/", views.loan_list, name="loan_list"),
    path("prets/nouvelle-demande/", views.loan_apply, name="loan_apply"),
    path("prets/<int:pk>/", views.loan_detail, name="loan_detail"),
    path("prets/<int:pk>/remboursement/", views.repayment_create, name="repayment_create"),
    path(
        "prets/<int:pk>/remboursements/<int:repayment_pk>/annuler/",
        views.repayment_reverse,
        name="repayment_reverse",
    ),
    path("prets/<int:pk>/recouvrement/", views.recovery_action_create, name="recovery_action"),
    path(
        "prets/<int:pk>/demande/<slug:kind>/",
        views.change_request_create,
        name="change_request_create",
    ),
    path("prets/<int:pk>/<str:kind>.pdf", views.loan_pdf, name="loan_pdf"),
    path("prets/<int:pk>/<slug:step>/", views.loan_step, name="loan_step"),
    path("demandes/<int:pk>/", views.change_request_decide, name="change_request_decide"),
    path("impayes/", views.arrears_list, name="arrears_list"),
    path("portefeuille/", views.portfolio, name="portfolio"),
]
