from django.urls import path

from tenders import evaluation_views, views

app_name = "tenders"
urlpatterns = [
    path("", views.tender_list, name="list"),
    path("nouveau/", views.tender_new, name="new"),
    path("avis/", views.notices, name="notices"),
    path("<int:pk>/", views.tender_detail, name="detail"),
    path("<int:pk>/documents/<int:doc>/", views.document_download, name="document"),
    path("<int:pk>/documents/ajouter/", views.document_add, name="document_add"),
    path("<int:pk>/questions/", views.question_ask, name="question_ask"),
    path("questions/<int:pk>/reponse/", views.question_answer, name="question_answer"),
    path("<int:pk>/offre/", views.submission_submit, name="submit"),
    path("offres/<int:pk>/fichier/", views.submission_file, name="submission_file"),
    path("offres/<int:pk>/notes/", evaluation_views.scores_record, name="scores"),
    path("<int:pk>/evaluation/", evaluation_views.evaluation, name="evaluation"),
    path("<int:pk>/evaluateurs/", evaluation_views.evaluator_appoint, name="evaluator_appoint"),
    path("<int:pk>/declaration/", evaluation_views.evaluator_declare, name="declare"),
    path("<int:pk>/attribution/", evaluation_views.tender_award, name="award"),
]
