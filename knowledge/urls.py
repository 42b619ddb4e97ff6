from django.urls import path

from knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("proposer/", views.item_new, name="item_new"),
    path("moderation/", views.moderation, name="moderation"),
    path("<int:pk>/", views.item_detail, name="item_detail"),
    path("<int:pk>/version/", views.version_edit, name="version_edit"),
    path("<int:pk>/moderer/", views.item_moderate, name="item_moderate"),
    path("questions/", views.question_list, name="question_list"),
    path("questions/poser/", views.question_new, name="question_new"),
    path("questions/<int:pk>/", views.question_detail, name="question_detail"),
    path("questions/<int:pk>/repondre/", views.answer_add, name="answer_add"),
    path("questions/<int:pk>/moderer/", views.question_moderate, name="question_moderate"),
    path("reponses/<int:pk>/moderer/", views.answer_moderate, name="answer_moderate"),
]
