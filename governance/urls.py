from django.urls import path

from governance import views

app_name = "governance"
urlpatterns = [
    path("", views.index, name="index"),
    path("retards/", views.late_accounts, name="late_accounts"),
    path("cooperatives/<int:pk>/", views.cooperative, name="cooperative"),
    path("cooperatives/<int:pk>/convoquer/", views.assembly_create, name="assembly_create"),
    path("cooperatives/<int:pk>/mandats/nouveau/", views.mandate_create, name="mandate_create"),
    path("assemblees/<int:pk>/", views.assembly_detail, name="assembly"),
    path("assemblees/<int:pk>/presences/", views.attendance_add, name="attendance_add"),
    path("presences/<int:pk>/retirer/", views.attendance_remove, name="attendance_remove"),
    path("assemblees/<int:pk>/resolutions/", views.resolution_add, name="resolution_add"),
    path("resolutions/<int:pk>/vote/", views.resolution_vote, name="resolution_vote"),
    path("assemblees/<int:pk>/cloturer/", views.assembly_close, name="assembly_close"),
    path("assemblees/<int:pk>/proces-verbal.pdf", views.minutes, name="minutes"),
]
