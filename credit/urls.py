from django.urls import path

from credit import views

app_name = "credit"
urlpatterns = [
    path("prets/", views.loan_list, name="loan_list"),
    path("prets/<int:pk>/", views.loan_detail, name="loan_detail"),
    path("prets/<int:pk>/remboursement/", views.repayment_create, name="repayment_create"),
    path("prets/<int:pk>/recouvrement/", views.recovery_action_create, name="recovery_action"),
    path("prets/<int:pk>/<str:kind>.pdf", views.loan_pdf, name="loan_pdf"),
    path("impayes/", views.arrears_list, name="arrears_list"),
    path("portefeuille/", views.portfolio, name="portfolio"),
]
