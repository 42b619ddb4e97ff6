"""Every read of the network portal. Public reads show approved organisations (and their
projects and campaigns) only; the rest is scoped by network.rules.network_scope."""

from __future__ import annotations

import datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import dates
from core.errors import Forbidden, NotFound
from core.text import search_q
from network.models import (
    AbuseReport,
    BookLine,
    Campaign,
    CampaignState,
    Match,
    MatchFund,
    MatchStatus,
    Organisation,
    OrganisationFile,
    OrganisationMember,
    OrgStatus,
    Pledge,
    PledgeStatus,
    Project,
    ReportStatus,
)
from network.rules import network_scope

# a failed or suspended campaign's pledges, still shown in what it had raised
CLOSED_PLEDGES = (PledgeStatus.REFUNDING, PledgeStatus.REFUNDED, PledgeStatus.MOVED)
PUBLIC_STATUSES = {"draft", "live", "succeeded", "failed", "suspended"}
STATUS_LABELS = {
    "draft": _lazy("à venir"),
    "live": _lazy("en cours"),
    "succeeded": _lazy("réussie"),
    "failed": _lazy("échouée (dons remboursés)"),
    "suspended": _lazy("suspendue (dons remboursés)"),
}


# --------------------------------------------------------------------------- organisations

FEW_MATCHES = 2000  # a text search with at most this many matches is sorted, not walked


def organisation_list(
    *, actor=None, q: str = "", country: str = "", kind: str = "", sector: str = "",
    status: str = "", matches: int | None = None,
) -> QuerySet[Organisation]:  # fmt: skip
    """The directory: approved organisations for everyone; a moderator also sees their
    countries' others (``status`` filter), an organisation's users their own. ``matches``:
    how many there are, when the caller already counted them (it chooses the plan)."""
    qs = Organisation.objects.all()
    scope = network_scope(actor)
    visible = Q(status=OrgStatus.APPROVED)
    if scope.admin:
        visible = Q()
    else:
        visible |= Q(country__in=sorted(scope.countries))
        visible |= Q(pk__in=sorted(scope.organisation_ids))
    qs = qs.filter(visible)
    qs = qs.filter(status=status) if status else qs
    if not status and not scope.is_staff:
        qs = qs.filter(status=OrgStatus.APPROVED)
    if q:
        qs = qs.filter(search_q(q))
    if country:
        qs = qs.filter(country=country.upper()[:2])
    if kind:
        qs = qs.filter(kind=kind[:20])
    if sector:
        qs = qs.filter(sector_rows__sector=sector[:20])
    qs = qs.prefetch_related("sector_rows")
    if q and matches is not None and matches <= FEW_MATCHES:
        # few matches: the same order, but not walked along the name index, where
        # PostgreSQL would read names until 20 matched (48 ms for "cooperative sante",
        # whose 600 matches cluster in the alphabet); the trigram index finds them, then a
        # top-N sort orders them (3 ms; migration 0005). Many matches (a common word) are
        # met soon along the name index, where sorting them all would cost more.
        return qs.order_by(Coalesce("name", Value("")), "id")
    return qs.order_by("name", "id")


def organisation_counts_by_country(
    *, actor=None, q: str = "", kind: str = "", sector: str = ""
) -> dict[str, int]:
    """The directory's map: how many organisations each country has, under the
    directory's other filters (what ``organisation_list`` shows, country left free).
    A plain count: the sector filter joins at most one row per organisation (one row per
    organisation and sector), so no DISTINCT (its sort cost 50 ms at 50,000 rows); with no
    text searched it is an index-only scan of ``netorg_status_country``."""
    qs = organisation_list(actor=actor, q=q, kind=kind, sector=sector)
    rows = qs.prefetch_related(None).order_by().values_list("country")
    return dict(rows.annotate(n=Count("id")))


def organisation_get(*, actor=None, pk: int | None = None, slug: str = "") -> Organisation:
    lookup = {"pk": pk} if pk is not None else {"slug": slug[:80]}
    org = Organisation.objects.filter(**lookup).prefetch_related("sector_rows").first()
    if org is None or not organisation_visible(actor, org):
        raise NotFound(_("Organisation introuvable."))
    return org


def organisation_visible(actor, org: Organisation) -> bool:
    if org.status == OrgStatus.APPROVED:
        return True
    scope = network_scope(actor)
    return scope.admin or org.country in scope.countries or org.pk in scope.organisation_ids


def organisation_pending_get(*, slug: str) -> Organisation:
    """A registration whose contact is not verified yet (the verification page)."""
    org = Organisation.objects.filter(slug=slug[:80], contact_verified_at__isnull=True).first()
    if org is None or org.status != OrgStatus.PENDING:
        raise NotFound(_("Organisation introuvable."))
    return org


def my_organisation_get(*, actor, slug: str) -> Organisation:
    org = my_organisations(actor=actor).filter(slug=slug[:80]).first()
    if org is None:
        raise NotFound(_("Organisation introuvable."))
    return org


def organisation_files_get(*, actor, slug: str) -> Organisation:
    """The organisation whose pieces the actor may see: its own users and the moderators
    of its country (administrators: all); else 404."""
    org = Organisation.objects.filter(slug=slug[:80]).first()
    scope = network_scope(actor)
    if org is None or not (
        org.pk in scope.organisation_ids or scope.admin or org.country in scope.countries
    ):
        raise NotFound(_("Organisation introuvable."))
    return org


def organisation_files(*, organisation: Organisation) -> QuerySet[OrganisationFile]:
    """Its pieces, without their bytes."""
    return organisation.files.defer("data").select_related("checked_by").order_by("kind", "id")


def organisation_file_get(*, actor, pk: int) -> OrganisationFile:
    """A document (with its bytes) for its organisation's users and moderators."""
    document = OrganisationFile.objects.select_related("organisation").filter(pk=pk).first()
    if document is None:
        raise NotFound(_("Pièce introuvable."))
    organisation_files_get(actor=actor, slug=document.organisation.slug)
    return document


def organisation_has_logo(*, organisation: Organisation) -> bool:
    return organisation.files.filter(kind="logo").exists()


def organisation_logo(*, slug: str) -> OrganisationFile:
    """The logo of a public organisation (anyone), else 404."""
    logo = OrganisationFile.objects.filter(
        organisation__slug=slug[:80], organisation__status=OrgStatus.APPROVED, kind="logo"
    ).first()
    if logo is None:
        raise NotFound(_("Logo introuvable."))
    return logo


def organisation_members_get(*, actor, slug: str) -> Organisation:
    """An organisation whose accounts the actor may see: its own users (administrators:
    all); else 404."""
    org = Organisation.objects.filter(slug=slug[:80]).first()
    scope = network_scope(actor)
    if org is None or not (org.pk in scope.organisation_ids or scope.admin):
        raise NotFound(_("Organisation introuvable."))
    return org


def organisation_members(*, organisation: Organisation) -> QuerySet[OrganisationMember]:
    return organisation.members.select_related("user").order_by("-is_owner", "user__username")


def user_by_username(*, username: str):
    """An active account, by its exact username (case ignored), for the owner who adds it
    to the organisation; else 404 (shown on the form)."""
    from django.contrib.auth import get_user_model

    user = (
        get_user_model()
        .objects.filter(username__iexact=str(username)[:150], is_active=True)
        .first()
    )
    if user is None:
        raise NotFound(_("Aucun compte avec cet identifiant."), field="username")
    return user


def moderation_queue(*, actor) -> QuerySet[Organisation]:
    """What waits for the actor's decision (their countries; administrators: all)."""
    scope = network_scope(actor)
    qs = Organisation.objects.filter(status=OrgStatus.PENDING)
    if not scope.admin:
        qs = qs.filter(country__in=sorted(scope.countries))
    return qs.order_by("created_at", "id")


def my_organisations(*, actor) -> QuerySet[Organisation]:
    ids = sorted(network_scope(actor).organisation_ids)
    return Organisation.objects.filter(pk__in=ids).order_by("name")


# --------------------------------------------------------------------------- projects


def project_list(
    *, actor=None, q: str = "", country: str = "", sector: str = "", organisation=None
) -> QuerySet[Project]:
    scope = network_scope(actor)
    visible = Q(organisation__status=OrgStatus.APPROVED)
    if scope.admin:
        visible = Q()
    else:
        visible |= Q(organisation_id__in=sorted(scope.organisation_ids))
    qs = Project.objects.filter(visible).select_related("organisation")
    if q:
        qs = qs.filter(search_q(q))
    if country:
        qs = qs.filter(country=country.upper()[:2])
    if sector:
        qs = qs.filter(sector=sector[:20])
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("-created_at", "-id")


def my_project_get(*, actor, slug: str) -> Project:
    ids = sorted(network_scope(actor).organisation_ids)
    project = Project.objects.filter(slug=slug[:80], organisation_id__in=ids).first()
    if project is None:
        raise NotFound(_("Projet introuvable."))
    return project


def project_get(*, actor=None, pk: int | None = None, slug: str = "") -> Project:
    lookup = {"pk": pk} if pk is not None else {"slug": slug[:80]}
    project = project_list(actor=actor).filter(**lookup).first()
    if project is None:
        raise NotFound(_("Projet introuvable."))
    return project


# --------------------------------------------------------------------------- campaigns


def campaign_status(campaign: Campaign, today: datetime.date | None = None) -> str:
    """The public status: ``draft`` before ``starts_on``, then ``live``, then what closing
    decided (``succeeded``, ``failed``; ``suspended`` by an administrator)."""
    if campaign.state != CampaignState.OPEN:
        return campaign.state
    today = today or dates.today()
    return "draft" if today < campaign.starts_on else "live"


def with_figures(qs: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Each campaign with ``raised_sum`` and ``matched_sum`` (one query for a page)."""
    raised = (
        Pledge.objects.filter(campaign=OuterRef("pk"), status=PledgeStatus.PAID)
        .values("campaign")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    matched = (
        Match.objects.filter(campaign=OuterRef("pk"), status=MatchStatus.COMMITTED)
        .values("campaign")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return qs.annotate(
        raised_sum=Coalesce(Subquery(raised), 0), matched_sum=Coalesce(Subquery(matched), 0)
    )


def campaign_list(
    *, actor=None, status: str = "", country: str = "", q: str = "", today=None
) -> QuerySet[Campaign]:
    today = today or dates.today()
    qs = Campaign.objects.filter(project__in=project_list(actor=actor).values("pk")).select_related(
        "project", "project__organisation"
    )
    if status == "draft":
        qs = qs.filter(state=CampaignState.OPEN, starts_on__gt=today)
    elif status == "live":
        qs = qs.filter(state=CampaignState.OPEN, starts_on__lte=today)
    elif status in PUBLIC_STATUSES:
        qs = qs.filter(state=status)
    if country:
        qs = qs.filter(project__country=country.upper()[:2])
    if q:
        qs = qs.filter(search_q(q, "project__search_text"))
    return qs.order_by("ends_on", "id")


def campaign_get(*, actor=None, pk: int) -> Campaign:
    campaign = campaign_list(actor=actor).filter(pk=pk).first()
    if campaign is None:
        raise NotFound(_("Campagne introuvable."))
    return campaign


def campaign_figures(campaign: Campaign, today: datetime.date | None = None) -> dict:
    """Raised (paid pledges; matches excluded), matched (committed matches), backers
    (distinct phones of paid pledges), days left: read fresh from the rows, each time."""
    paid = Pledge.objects.filter(
        campaign_id=campaign.pk, status__in=(PledgeStatus.PAID,)
    ).aggregate(raised=Sum("amount"), backers=Count("donor_phone", distinct=True))
    matched = Match.objects.filter(campaign_id=campaign.pk, status=MatchStatus.COMMITTED).aggregate(
        total=Sum("amount")
    )["total"]
    if campaign.state in (CampaignState.FAILED, CampaignState.SUSPENDED):
        refunded = Pledge.objects.filter(
            campaign_id=campaign.pk, status__in=CLOSED_PLEDGES
        ).aggregate(raised=Sum("amount"), backers=Count("donor_phone", distinct=True))
        paid = {k: (paid[k] or 0) + (refunded[k] or 0) for k in ("raised", "backers")}
    today = today or dates.today()
    raised = paid["raised"] or 0
    return {
        "raised": raised,
        "matched": matched or 0,
        "backers": paid["backers"] or 0,
        "days_left": max(0, (campaign.ends_on - today).days)
        if campaign.state == CampaignState.OPEN
        else 0,
        "percent": min(100, int(100 * (raised + (matched or 0)) / campaign.goal))
        if campaign.goal
        else 0,
        "status": campaign_status(campaign, today),
        "status_label": STATUS_LABELS[campaign_status(campaign, today)],
    }


def campaign_statement(campaign: Campaign) -> dict:
    """The closing statement: the platform's book lines of this campaign, by account."""
    lines = (
        BookLine.objects.filter(entry__campaign=campaign)
        .values("account")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .order_by("account")
    )
    return {"lines": list(lines)}


def pledge_by_token(*, token: str) -> Pledge:
    pledge = (
        Pledge.objects.select_related("campaign", "campaign__project", "intent")
        .filter(token=str(token)[:32])
        .first()
    )
    if pledge is None:
        raise NotFound(_("Promesse introuvable."))
    return pledge


def move_destinations(*, pledge: Pledge, limit: int = 50) -> list[Campaign]:
    """The campaigns a pledge may move to if its campaign fails (the donor's choice):
    live, public, ending after it; those of the same country first, the soonest-ending
    first (services.check_move_destination says the same)."""
    campaign = pledge.campaign
    qs = (
        campaign_list(actor=None, status="live")
        .filter(ends_on__gt=campaign.ends_on, ends_on__gte=dates.today())
        .exclude(pk=campaign.pk)
    )
    same = list(qs.filter(project__country=campaign.project.country)[:limit])
    if len(same) < limit:
        same += list(qs.exclude(project__country=campaign.project.country)[: limit - len(same)])
    return same


def campaign_pledges(*, actor, campaign: Campaign) -> QuerySet[Pledge]:
    """The campaign's pledges: its organisation's users and the administrators."""
    scope = network_scope(actor)
    if not (scope.admin or campaign.project.organisation_id in scope.organisation_ids):
        return Pledge.objects.none()
    return campaign.pledges.order_by("-created_at", "-id")


# --------------------------------------------------------------------------- match funds


def fund_committed(fund: MatchFund) -> int:
    """Matches on live or succeeded campaigns (released ones went back to the fund)."""
    total = Match.objects.filter(fund=fund, status=MatchStatus.COMMITTED).aggregate(
        total=Sum("amount")
    )["total"]
    return total or 0


def match_fund_list(*, actor) -> QuerySet[MatchFund]:
    """Administrators see every fund; a sponsor's managers their own; others none."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return MatchFund.objects.none()
    qs = MatchFund.objects.all()
    if not network_scope(actor).admin:
        qs = qs.filter(managers=actor)
    return qs.prefetch_related("campaigns").order_by("-created_at", "-id")


def match_fund_get(*, actor, pk: int) -> MatchFund:
    fund = match_fund_list(actor=actor).filter(pk=pk).first()
    if fund is None:
        raise NotFound(_("Fonds introuvable."))
    return fund


def fund_report(fund: MatchFund) -> list[dict]:
    """What the fund did, per campaign: matched pledges and amounts, committed or given
    back."""
    rows = (
        Match.objects.filter(fund=fund)
        .values("campaign_id", "campaign__project__title", "status")
        .annotate(count=Count("id"), amount=Sum("amount"))
        .order_by("campaign_id", "status")
    )
    return list(rows)


def report_queue(*, actor) -> QuerySet[AbuseReport]:
    """Open abuse reports for the actor's countries (administrators: all); nothing for
    anyone else."""
    scope = network_scope(actor)
    if not scope.is_staff:
        return AbuseReport.objects.none()
    qs = AbuseReport.objects.filter(status=ReportStatus.OPEN).select_related(
        "organisation", "campaign", "project"
    )
    if not scope.admin:
        qs = qs.filter(organisation__country__in=sorted(scope.countries))
    return qs.order_by("created_at", "id")


def report_list(*, actor, status: str = "open") -> QuerySet[AbuseReport]:
    """The reports of the actor's countries (administrators: all), ``open`` by default
    (``""``: every status); 403 for anyone who is not network staff."""
    scope = network_scope(actor)
    if not scope.is_staff:
        raise Forbidden(_("Réservé aux modérateurs du réseau."))
    qs = AbuseReport.objects.select_related("organisation")
    if not scope.admin:
        qs = qs.filter(organisation__country__in=sorted(scope.countries))
    if status:
        qs = qs.filter(status=status[:12])
    return qs.order_by("created_at", "id")


def report_get(*, actor, pk: int) -> AbuseReport:
    """A report the actor may decide (any status), else 404."""
    scope = network_scope(actor)
    qs = AbuseReport.objects.select_related("organisation")
    if not scope.admin:
        qs = qs.filter(organisation__country__in=sorted(scope.countries))
    report = qs.filter(pk=pk).first() if scope.is_staff else None
    if report is None:
        raise NotFound(_("Signalement introuvable."))
    return report
