from django.urls import path

from monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cibles/", views.targets, name="targets"),
    path("indicateurs/<slug:code>/", views.records, name="records"),
    path("rapports/", views.reports, name="reports"),
    path("rapports/<int:pk>/", views.report, name="report"),
    path(
        "rapports/<int:pk>/rapport.<str:kind>",
        views.report_download,
        name="report_download",
    ),
]
