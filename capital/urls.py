from django.urls import path

from capital import views

app_name = "capital"
urlpatterns = [
    path("", views.index, name="index"),
    path("cooperatives/<int:pk>/", views.register, name="register"),
    path("cooperatives/<int:pk>/statuts/", views.statutes_edit, name="statutes"),
    path("cooperatives/<int:pk>/operations/", views.operation_list, name="operations"),
    path(
        "cooperatives/<int:pk>/operations/nouvelle/",
        views.operation_create,
        name="operation_create",
    ),
    path("cooperatives/<int:pk>/releve/<int:person_pk>/", views.statement, name="statement"),
    path(
        "cooperatives/<int:pk>/releve/<int:person_pk>/attestation.pdf",
        views.certificate,
        name="certificate",
    ),
    path("operations/<int:pk>/", views.operation_detail, name="operation_detail"),
    path("operations/<int:pk>/<slug:action>/", views.operation_decide, name="operation_decide"),
]
