from django.urls import path

from consulting import views

app_name = "consulting"
urlpatterns = [
    path("consultants/", views.consultant_list, name="consultant_list"),
    path("consultants/mon-profil/", views.my_profile, name="my_profile"),
    path("consultants/moderation/", views.consultant_moderation, name="consultant_moderation"),
    path("consultants/<int:pk>/", views.consultant_detail, name="consultant_detail"),
    path("consultants/<int:pk>/verifier/", views.consultant_verify, name="consultant_verify"),
    path("appuis/", views.request_list, name="request_list"),
    path("appuis/nouvelle/", views.request_new, name="request_new"),
    path("appuis/<int:pk>/", views.request_detail, name="request_detail"),
    path("appuis/<int:pk>/proposer/", views.proposal_submit, name="proposal_submit"),
    path("propositions/<int:pk>/retenir/", views.proposal_accept, name="proposal_accept"),
    path("missions/", views.engagement_list, name="engagement_list"),
    path("missions/<int:pk>/", views.engagement_detail, name="engagement_detail"),
    path("missions/<int:pk>/payer/", views.engagement_pay, name="engagement_pay"),
    path(
        "missions/<int:pk>/paiement-recu/",
        views.engagement_record_payment,
        name="engagement_record_payment",
    ),
    path("missions/<int:pk>/litige/", views.dispute_open, name="dispute_open"),
    path("missions/<int:pk>/litige/trancher/", views.dispute_resolve, name="dispute_resolve"),
    path("missions/<int:pk>/note/", views.engagement_rate, name="engagement_rate"),
    path("missions/<int:pk>/modifier/", views.engagement_amend, name="engagement_amend"),
    path(
        "missions/<int:pk>/modifications/<int:amendment_pk>/reponse/",
        views.amendment_decide,
        name="amendment_decide",
    ),
    path("missions/<int:pk>/annuler/", views.engagement_cancel, name="engagement_cancel"),
    path("missions/<int:pk>/litige/rembourser/", views.dispute_refund, name="dispute_refund"),
    path("fonds-ess/", views.ess_fund, name="ess_fund"),
    path("fonds-ess/soutien/", views.ess_support_grant, name="ess_support_grant"),
]
