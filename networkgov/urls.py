from django.urls import path

from networkgov import views

app_name = "networkgov"
urlpatterns = [
    path("", views.index, name="index"),
    path("adhesion/", views.membership, name="membership"),
    path("adhesion/adherer/", views.join, name="join"),
    path("adhesion/<int:pk>/payer/", views.pay, name="pay"),
    path("adhesion/arrieres/", views.arrears, name="arrears"),
    path("adhesion/bareme/", views.tariffs, name="tariffs"),
    path("assemblees/", views.assembly_list, name="assembly_list"),
    path("assemblees/convoquer/", views.assembly_new, name="assembly_new"),
    path("assemblees/<int:pk>/", views.assembly_detail, name="assembly_detail"),
    path("assemblees/<int:pk>/resolutions/", views.resolution_add, name="resolution_add"),
    path("assemblees/<int:pk>/delegue/", views.delegate, name="delegate"),
    path("assemblees/<int:pk>/cloture/", views.assembly_close, name="assembly_close"),
    path("assemblees/<int:pk>/proces-verbal.pdf", views.minutes, name="minutes"),
    path("resolutions/<int:pk>/vote/", views.vote, name="vote"),
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/nouvelle/", views.consultation_new, name="consultation_new"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("consultations/<int:pk>/reponse/", views.answer, name="answer"),
]
