from django.urls import path

from training import views

app_name = "training"
urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("sessions/nouvelle/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/presences/", views.attendance_sheet, name="attendance_sheet"),
    path("sessions/<int:pk>/feuille.pdf", views.attendance_pdf, name="attendance_pdf"),
    path("modules/", views.module_list, name="module_list"),
    path("modules/nouveau/", views.module_edit, name="module_create"),
    path("modules/<int:pk>/modifier/", views.module_edit, name="module_edit"),
    path("formateurs/", views.trainer_list, name="trainer_list"),
    path("visites/", views.visit_list, name="visit_list"),
    path("visites/nouvelle/", views.visit_create, name="visit_create"),
    path("visites/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visites/<int:pk>/photo/", views.visit_photo, name="visit_photo"),
    path("actions/<int:pk>/realisee/", views.action_complete, name="action_complete"),
    path("cooperatives/<int:pk>/", views.cooperative_follow_up, name="cooperative_follow_up"),
    path("travail/", views.worklist, name="worklist"),
]
