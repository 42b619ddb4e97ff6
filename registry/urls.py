from django.urls import path

from registry import corrections_views, views

app_name = "registry"
urlpatterns = [
    path("cooperatives/", views.cooperative_list, name="cooperative_list"),
    path(
        "cooperatives/export.<str:fmt>",
        views.cooperative_export,
        name="cooperative_export",
    ),
    path("cooperatives/nouvelle/", views.cooperative_create, name="cooperative_create"),
    path("cooperatives/<int:pk>/", views.cooperative_detail, name="cooperative_detail"),
    path("cooperatives/<int:pk>/modifier/", views.cooperative_edit, name="cooperative_edit"),
    path("cooperatives/<int:pk>/etape/", views.cooperative_stage, name="cooperative_stage"),
    path("cooperatives/<int:pk>/membres/ajouter/", views.member_admit, name="member_admit"),
    path(
        "cooperatives/<int:pk>/membres/<int:membership_pk>/sortie/",
        views.member_leave,
        name="member_leave",
    ),
    path(
        "cooperatives/<int:pk>/membres/<int:membership_pk>/role/",
        views.member_role,
        name="member_role",
    ),
    path(
        "cooperatives/<int:pk>/emplois/ajouter/",
        views.employment_record,
        name="employment_record",
    ),
    path(
        "cooperatives/<int:pk>/emplois/<int:employment_pk>/fin/",
        views.employment_end,
        name="employment_end",
    ),
    path("personnes/", views.person_list, name="person_list"),
    path("personnes/export.<str:fmt>", views.person_export, name="person_export"),
    path("personnes/nouvelle/", views.person_create, name="person_create"),
    path("personnes/doublons/", views.duplicate_list, name="duplicate_list"),
    path("personnes/<int:pk>/", views.person_detail, name="person_detail"),
    path("personnes/<int:pk>/modifier/", views.person_edit, name="person_edit"),
    path(
        "personnes/<int:pk>/donnees.<str:fmt>",
        views.person_personal_data,
        name="person_personal_data",
    ),
    path(
        "personnes/<int:pk>/fusionner/<int:duplicate_pk>/",
        views.person_merge,
        name="person_merge",
    ),
    path(
        "personnes/<int:pk>/pas-un-doublon/<int:other_pk>/",
        views.duplicate_dismiss,
        name="duplicate_dismiss",
    ),
    # correction requests (law 2008-12, registry/corrections.py)
    path(
        "personnes/<int:pk>/rectification/",
        corrections_views.correction_create,
        name="correction_create",
    ),
    path("rectifications/", corrections_views.correction_list, name="correction_list"),
    path(
        "rectifications/<int:pk>/",
        corrections_views.correction_detail,
        name="correction_detail",
    ),
]
