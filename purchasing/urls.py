from django.urls import path

from purchasing import views

app_name = "purchasing"
urlpatterns = [
    path("", views.index, name="index"),
    path("campagnes/nouvelle/", views.campaign_create, name="campaign_create"),
    path("campagnes/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campagnes/<int:pk>/commande/<int:coop>/", views.order_edit, name="order_edit"),
    path("campagnes/<int:pk>/cloture/", views.campaign_close, name="campaign_close"),
    path("campagnes/<int:pk>/reception/", views.campaign_receive, name="campaign_receive"),
    path("campagnes/<int:pk>/livraison/<int:coop>/", views.delivery_create, name="delivery_create"),
    path(
        "campagnes/<int:pk>/bon-de-commande/<int:supplier>.pdf",
        views.purchase_order_pdf,
        name="purchase_order_pdf",
    ),
    path("factures/", views.invoice_list, name="invoice_list"),
    path("factures/<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path("prix/", views.prices, name="prices"),
    path("prix/import/", views.price_import, name="price_import"),
    path(
        "campagnes/<int:pk>/commande/<int:coop>/besoins/",
        views.needs_import,
        name="needs_import",
    ),
]
