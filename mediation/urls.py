from django.urls import path

from mediation import views

app_name = "mediation"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("saisir/", views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/ecrire/", views.entry_add, name="entry_add"),
    path("<int:pk>/cloture/", views.case_close, name="close"),
    path("attente/", views.admin_queue, name="queue"),
    path("attente/<int:pk>/designer/", views.appoint, name="appoint"),
    path("statistiques/", views.statistics, name="statistics"),
]
