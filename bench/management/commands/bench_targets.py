"""Print, as JSON, what the load runner should request in this database.

Pages whose URL does not exist yet (a capability not landed) are left out and named in
``missing`` so the report says so rather than guessing.
"""

import json

from django.core.management.base import BaseCommand
from django.urls import NoReverseMatch, reverse

from bench.synthetic import BENCH_PASSWORD


def url(name, *args, query=""):
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return None


class Command(BaseCommand):
    help = "Liste (JSON) les pages mesurées par le banc dans cette base."

    def handle(self, *args, **options):
        from accounts.models import RoleAssignment
        from registry.models import Cooperative

        officer_coop = (
            RoleAssignment.objects.filter(user__username="bench-officer")
            .values_list("cooperative_id", flat=True)
            .first()
        )
        coop_id = officer_coop or Cooperative.objects.order_by("pk").values_list("pk", flat=True)[0]
        pages = [
            # name, user (None: anonymous), kind ("page" or "api"), path
            ("floor", None, "page", "/healthz"),
            ("home_national", "bench-national", "page", url("home")),
            ("home_agent", "bench-agent-region", "page", url("home")),
            ("home_officer", "bench-officer", "page", url("home")),
            ("home_lender", "bench-lender", "page", url("home")),
            ("cooperative_list", "bench-agent-region", "page", url("registry:cooperative_list")),
            (
                "cooperative_search",
                "bench-national",
                "page",
                url("registry:cooperative_list", query="q=thies"),
            ),
            (
                "person_search",
                "bench-agent-region",
                "page",
                url("registry:person_list", query="q=ndiaye"),
            ),
            (
                "cooperative_page",
                "bench-agent-region",
                "page",
                url("registry:cooperative_detail", coop_id),
            ),
            ("api_cooperatives", "bench-national", "api", "/api/v1/cooperatives?q=thies&limit=25"),
            ("arrears_list", "bench-agent-region", "page", url("credit:arrears_list")),
            ("portfolio", "bench-national", "page", url("credit:portfolio")),
            ("api_portfolio", "bench-national", "api", "/api/v1/portfolio"),
            ("indicators", "bench-national", "api", "/api/v1/indicators"),
            ("dashboard_national", "bench-national", "page", url("monitoring:dashboard")),
            (
                "dashboard_region",
                "bench-agent-region",
                "page",
                url("monitoring:dashboard", query="area=SN-TH"),
            ),
        ]
        from credit.models import Loan

        # A loan in arrears (the longest schedule page: paid, partial and late instalments).
        loan_id = (
            Loan.objects.filter(status="active", days_past_due__gt=0)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
            or Loan.objects.order_by("pk").values_list("pk", flat=True).first()
        )
        if loan_id:
            pages += [
                ("loan_schedule", "bench-national", "page", url("credit:loan_detail", loan_id)),
                ("api_loan_schedule", "bench-national", "api", f"/api/v1/loans/{loan_id}/schedule"),
            ]
        pages += [
            ("portfolio_lender", "bench-lender", "page", url("credit:portfolio")),
            ("api_portfolio_region", "bench-agent-region", "api", "/api/v1/portfolio"),
        ]
        found = [p for p in pages if p[3]]
        missing = [p[0] for p in pages if not p[3]]
        self.stdout.write(
            json.dumps({"password": BENCH_PASSWORD, "pages": found, "missing": missing})
        )
