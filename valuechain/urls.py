from django.urls import path

from valuechain import views

app_name = "valuechain"
urlpatterns = [
    path("", views.index, name="index"),
    path("chaines/<int:pk>/", views.chain_detail, name="chain_detail"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("sites/<int:pk>/caisse/", views.till, name="till"),
    path("sites/<int:pk>/caisse/sync/", views.till_sync, name="till_sync"),
    path("caisses/<int:pk>/cloture/", views.till_close, name="till_close"),
    path("lots/<int:pk>/", views.lot_detail, name="lot_detail"),
    path("ventes/<int:pk>/", views.sale_detail, name="sale_detail"),
    path("reglements/<int:pk>/", views.settlement_detail, name="settlement_detail"),
]
urlpatterns += [
    path("equipements/<int:pk>/", views.equipment_detail, name="equipment_detail"),
]
urlpatterns += [path("lots/<int:pk>/etiquette/", views.lot_label, name="lot_label")]
urlpatterns += [path("projets/<int:pk>/", views.project_detail, name="project_detail")]
urlpatterns += [path("ventes/<int:pk>/sms/", views.sale_sms, name="sale_sms")]
urlpatterns += [path("scanner/", views.scan, name="scan")]
urlpatterns += [path("factures/<int:pk>/", views.purchase_invoice, name="purchase_invoice")]
