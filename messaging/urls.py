from django.urls import path

from messaging import views

app_name = "messaging"
urlpatterns = [
    path("modeles/", views.template_list, name="template_list"),
    path("modeles/<slug:kind>/", views.template_edit, name="template_edit"),
    path("refus/", views.opt_out_list, name="opt_out_list"),
    path("refus/lever/", views.opt_out_lift, name="opt_out_lift"),
]
