from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from config.api import api
from network import views as network_views
from sync import views as sync_views
from web import views as web_views

handler400 = "web.views.error_400"
handler403 = "web.views.error_403"
handler404 = "web.views.error_404"
handler500 = "web.views.error_500"

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    path("manifest.webmanifest", sync_views.manifest, name="manifest"),
    path("sw.js", sync_views.service_worker, name="service_worker"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("comptes/", include("accounts.urls")),
    path("registre/", include("registry.urls")),
    path("credit/", include("credit.urls")),
    path("formation/", include("training.urls")),
    path("sante/", include("health.urls")),
    path("filiere/", include("valuechain.urls")),
    path("capital/", include("capital.urls")),
    path("achats/", include("purchasing.urls")),
    path("gouvernance/", include("governance.urls")),
    path("comptabilite/", include("ledger.urls")),
    path("paiements/", include("payments.urls")),
    path("suivi/", include("monitoring.urls")),
    path("messagerie/", include("messaging.urls")),
    path("ussd/", include("ussd.urls")),
    path("terrain/", include("sync.urls")),
    path("sitemap.xml", network_views.sitemap, name="sitemap"),
    path("robots.txt", network_views.robots, name="robots"),
]
# The public portal: one address per language, French without a prefix (/reseau/, /en/reseau/,
# /pt/reseau/, /ar/reseau/: core/languages.py).
urlpatterns += i18n_patterns(
    path("reseau/appels-d-offres/", include("tenders.urls")),
    path("reseau/mediation/", include("mediation.urls")),
    path("reseau/savoirs/", include("knowledge.urls")),
    path("reseau/evenements/", include("events.urls")),
    path("reseau/vie-du-reseau/", include("networkgov.urls")),
    path("reseau/annonces/", include("sponsoring.urls")),
    path("reseau/", include("network.urls")),
    path("reseau/", include("consulting.urls")),
    prefix_default_language=False,
)
urlpatterns += [path("", include("web.urls"))]
