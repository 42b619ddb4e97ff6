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
    path("organisations/<slug:slug>/pieces/", views.organisation_files, name="organisation_files"),
    path("organisations/<slug:slug>/logo/", views.organisation_logo, name="organisation_logo"),
    path(
        "organisations/<slug:slug>/comptes/",
        views.organisation_members,
        name="organisation_members",
    ),
    path("campagnes/<int:pk>/nouvelles/", views.campaign_news, name="campaign_news"),
    path("pieces/<int:pk>/", views.organisation_file, name="organisation_file"),
    path("organisations/<slug:slug>/nouveau-projet/", views.project_new, name="project_new"),
    path("inscription/", views.register, name="register"),
    path("inscription/<slug:slug>/code/", views.verify, name="verify"),
    path("inscription/<slug:slug>/nouveau-code/", views.verify_resend, name="verify_resend"),
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
    path("dons/<str:token>/reporter/", views.pledge_move, name="pledge_move"),
    path("moderation/", views.moderation, name="moderation"),
    path("espace/", views.my_space, name="my_space"),
    path("fonds/<int:pk>/", views.fund_detail, name="fund_detail"),
]
