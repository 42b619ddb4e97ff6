from django.urls import path

from sync import views

app_name = "sync"

urlpatterns = [
    path("", views.field, name="field"),
    path("conflits/", views.conflict_list, name="conflict_list"),
    path("conflits/<int:pk>/", views.conflict_detail, name="conflict_detail"),
]
