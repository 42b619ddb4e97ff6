from django.urls import path

from network import views

app_name = "network"
urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/moderer/", views.moderate, name="moderate"),
    path(
        "organisations/<slug:slug>/verifier-documents/",
        views.verify_documents,
        name="verify_documents",
    ),
    path("organisations/<slug:slug>/nouveau-projet/", views.project_new, name="project_new"),
    path("inscription/", views.register, name="register"),
    path("inscription/<slug:slug>/code/", views.verify, name="verify"),
    path("projets/", views.project_list, name="project_list"),
    path("projets/<slug:slug>/", views.project_detail, name="project_detail"),
    path("projets/<slug:slug>/contact/", views.project_contact, name="project_contact"),
    path("projets/<slug:slug>/nouvelle-campagne/", views.campaign_new, name="campaign_new"),
    path("campagnes/", views.campaign_list, name="campaign_list"),
    path("campagnes/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campagnes/<int:pk>/don/", views.pledge, name="pledge"),
    path("campagnes/<int:pk>/cloture/", views.campaign_close, name="campaign_close"),
    path("campagnes/<int:pk>/suspendre/", views.campaign_suspend, name="campaign_suspend"),
    path("campagnes/<int:pk>/signaler/", views.report, name="report_campaign"),
    path("organisations/<slug:slug>/signaler/", views.report, name="report_organisation"),
    path("signalements/<int:pk>/", views.report_decide, name="report_decide"),
    path("dons/<str:token>/", views.pledge_return, name="pledge_return"),
    path("moderation/", views.moderation, name="moderation"),
    path("espace/", views.my_space, name="my_space"),
    path("fonds/<int:pk>/", views.fund_detail, name="fund_detail"),
]
