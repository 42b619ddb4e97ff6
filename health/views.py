"""HTML pages of the mutual health insurance: thin; reads via selectors, writes via services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import dates
from core.errors import NotFound
from core.forms import domain_errors_on
from core.money import format_xof
from health import rules, selectors, services
from health.forms import (
    ClaimFilterForm,
    ClaimForm,
    ContributionForm,
    EnrolForm,
    PayForm,
    PayoutForm,
    PhotoForm,
    RejectForm,
    ReserveForm,
)
from health.models import ClaimStatus
from registry.selectors import cooperative_get, cooperative_list, person_list

PAGE_SIZE = 25
CHOICES_MAX = 300


@login_required
@require_GET
def index(request):
    """The schemes and the households the user may see, searchable and paginated."""
    q = request.GET.get("q", "")[:100]
    households = selectors.household_list(actor=request.user, filters={"q": q})
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    today = dates.today()
    schemes = list(selectors.scheme_list(actor=request.user))
    return render(
        request,
        "health/index.html",
        {
            "schemes": schemes,
            "books_ids": {s.pk for s in schemes if rules.can_read_books(request.user, s)},
            "page": page,
            "q": q,
            "query": urlencode({"q": q}) if q else "",
            "today": today,
        },
    )


def _enrol_form(request):
    actor = request.user
    schemes = selectors.scheme_list(actor=actor).filter(active=True)
    cooperatives = cooperative_list(actor=actor).order_by("name")[:CHOICES_MAX]
    persons = person_list(actor=actor).order_by("last_name", "first_name", "id")[:CHOICES_MAX]
    return EnrolForm(
        request.POST or None,
        schemes=schemes,
        cooperatives=cooperatives,
        persons=persons,
        initial={"enrolled_on": dates.today()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_enrol(request):
    form = _enrol_form(request)
    if request.method == "POST" and form.is_valid():
        d, actor = form.cleaned_data, request.user
        with domain_errors_on(form):
            scheme = selectors.scheme_get(actor=actor, pk=d["scheme"])
            coop = cooperative_get(actor=actor, pk=d["cooperative"]) if d["cooperative"] else None
            head = selectors.person_for_enrolment(actor=actor, pk=d["head"], scheme=scheme)
            dependants = [
                (selectors.person_for_enrolment(actor=actor, pk=pk, scheme=scheme), relation)
                for pk, relation in form.dependants()
            ]
            household = services.household_enrol(
                actor=actor,
                scheme=scheme,
                head=head,
                dependants=dependants,
                cooperative=coop,
                enrolled_on=d["enrolled_on"],
            )
        if not form.errors:
            messages.success(request, _("Ménage enrôlé."))
            return redirect("health:household_detail", pk=household.pk)
    return render(request, "health/household_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def household_detail(request, pk: int):
    """The household, each person's cover today, its payments; record a payment."""
    household = selectors.household_get(actor=request.user, pk=pk)
    members = list(selectors.household_members(household, current_only=False))
    today = dates.today()
    can_pay = rules.can_pay(request.user, household, [m.person_id for m in members])
    form = ContributionForm(request.POST or None, initial={"paid_on": today})
    if request.method == "POST" and can_pay and form.is_valid():
        d = form.cleaned_data
        with domain_errors_on(form):
            contribution = services.contribution_pay(actor=request.user, household=household, **d)
        if not form.errors:
            messages.success(
                request,
                _("Paiement enregistré : %(m)s mois, avoir %(c)s.")
                % {"m": contribution.months, "c": format_xof(contribution.credit_after)},
            )
            return redirect("health:household_detail", pk=household.pk)
    photos = selectors.member_photos([m.person_id for m in members])
    rows = [(m, selectors.member_cover(m, today), photos.get(m.person_id, "")) for m in members]
    return render(
        request,
        "health/household_detail.html",
        {
            "household": household,
            "rows": rows,
            "payments": selectors.contribution_list(actor=request.user, household=household)[:50],
            "form": form,
            "can_pay": can_pay,
            "can_set_photo": rules.can_set_photo(request.user, household),
            "today": today,
        },
    )


@login_required
@require_GET
def claim_list(request):
    form = ClaimFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    claims = selectors.claim_list(actor=request.user, filters={"status": status})
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "health/claim_list.html",
        {"form": form, "page": page, "query": urlencode({"status": status}) if status else ""},
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_enter(request, household_pk: int):
    """A provider enters a claim for a member of a household (the card's number)."""
    actor = request.user
    household = selectors.household_for_claim(actor=actor, pk=household_pk)
    providers = list(selectors.claim_providers(actor=actor, scheme=household.scheme))
    members = list(selectors.household_members(household))
    tariffs = (
        selectors.tariff_list(scheme=household.scheme, provider=providers[0]) if providers else []
    )
    form = ClaimForm(
        request.POST or None,
        members=members,
        providers=providers,
        tariffs=tariffs,
        initial={"service_on": dates.today()},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with domain_errors_on(form):
            claim = services.claim_enter(
                actor=actor,
                household=household,
                beneficiary=selectors.beneficiary_for_claim(
                    household=household, pk=d["beneficiary"]
                ),
                provider=selectors.provider_get(actor=actor, pk=d["provider"]),
                service_on=d["service_on"],
                lines=[{"code": d["code"], "quantity": d["quantity"]}],
                diagnosis=d["diagnosis"],
            )
        if not form.errors:
            messages.success(request, _("Demande saisie."))
            return redirect("health:claim_detail", pk=claim.pk)
    return render(request, "health/claim_form.html", {"form": form, "household": household})


@login_required
@require_GET
def claim_detail(request, pk: int):
    """A claim with its medical details (the read is logged)."""
    claim = selectors.claim_get(actor=request.user, pk=pk)
    details = selectors.claim_medical_details(actor=request.user, claim=claim, via="page")
    return render(
        request,
        "health/claim_detail.html",
        {
            "claim": claim,
            "details": details,
            "can_process": rules.can_process_claim(request.user, claim),
            "reject_form": RejectForm(),
            "pay_form": PayForm(initial={"paid_on": dates.today()}),
            "payout_form": PayoutForm(),
            "payout": claim.payout,
            **selectors.claim_payout_state(actor=request.user, claim=claim),
            "ClaimStatus": ClaimStatus,
        },
    )


STEPS = {
    "check": services.claim_check,
    "valuate": services.claim_valuate,
    "reject": services.claim_reject,
    "pay": services.claim_pay,
    "payout": services.claim_payout_request,
    "payout-approve": services.claim_payout_approve,
    "payout-refuse": services.claim_payout_approve,
}


@login_required
@require_POST
def claim_step(request, pk: int, action: str):
    claim = selectors.claim_get(actor=request.user, pk=pk)
    step = STEPS.get(action)
    if step is None:
        return redirect("health:claim_detail", pk=claim.pk)
    kwargs = {}
    if action == "reject":
        form = RejectForm(request.POST)
        kwargs = {"reason": form.data.get("reason", "")}
    elif action == "pay":
        form = PayForm(request.POST)
        kwargs = {"paid_on": form.cleaned_data["paid_on"] if form.is_valid() else None}
    elif action == "payout":
        form = PayoutForm(request.POST)
        data = form.cleaned_data if form.is_valid() else {}
        kwargs = {k: data.get(k, "") for k in ("provider", "to", "phone")}
    elif action == "payout-refuse":
        kwargs = {"approve": False}
    with domain_errors_on(request) as done:
        step(actor=request.user, claim=claim, **kwargs)
    if done:
        messages.success(request, _("Demande mise à jour."))
    return redirect("health:claim_detail", pk=claim.pk)


def _int_param(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


@login_required
@require_GET
def arrears(request):
    """The households in arrears of contributions the user sees (a cooperative's, a
    scheme's): what each owes today and since when, oldest first, paginated."""
    from health.arrears import arrears_of

    today = dates.today()
    filters = {
        "cooperative": _int_param(request, "cooperative"),
        "scheme": _int_param(request, "scheme"),
    }
    households = selectors.household_arrears_list(actor=request.user, as_of=today, filters=filters)
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(h, arrears_of(h, h.current_members, today)) for h in page.object_list]
    query = {k: v for k, v in filters.items() if v}
    return render(
        request,
        "health/arrears.html",
        {
            "page": page,
            "rows": rows,
            "today": today,
            "filters": query,
            "query": urlencode(query),
            "schemes": selectors.scheme_list(actor=request.user),
            "cooperatives": cooperative_list(actor=request.user).order_by("name")[:CHOICES_MAX],
        },
    )


@login_required
@require_GET
def report(request):
    """Counts only (never diagnoses), through the reader's scope, as of a day."""
    from health.reports import health_report, indicators

    report = health_report(actor=request.user, as_of=dates.today())
    return render(
        request,
        "health/report.html",
        {
            "report": report,
            "indicators": indicators(report),
            "by_sex": sorted(report.by_sex.items()),
            "by_age": sorted(report.by_age.items()),
            "by_cooperative": sorted(report.by_cooperative.items()),
            "by_area": sorted(report.by_area.items()),
        },
    )


@login_required
@require_GET
def household_cards(request, pk: int):
    """The household's member cards as a PDF (one card per covered person, QR code)."""
    from django.http import HttpResponse
    from django.urls import reverse

    from health.cards import cards_pdf

    household = selectors.household_get(actor=request.user, pk=pk)
    members = list(selectors.household_members(household))
    pdf = cards_pdf(
        household=household,
        members=members,
        verify_url=request.build_absolute_uri(reverse("health:card_verify")),
        issued_on=dates.today(),
        photos=selectors.member_photos([m.person_id for m in members]),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cartes-menage-{household.pk}.pdf"'
    return response


@login_required
@require_GET
def card_verify(request):
    """A provider scans a card: its code's signature, then the person's cover today."""
    code = request.GET.get("c", "")[:500]
    result, error = None, ""
    if code:
        with domain_errors_on(None, missing_is_input=True) as checked:
            result = selectors.card_check(actor=request.user, code=code, on=dates.today())
        if isinstance(checked.error, NotFound):
            error = _("Carte authentique, mais aucune couverture que vous puissiez voir.")
        elif checked.error:
            error = str(checked.error.message)
    return render(
        request,
        "health/card_verify.html",
        {
            "code": code,
            "result": result,
            "error": error,
            "today": dates.today(),
            "can_check_offline": rules.can_check_cards_offline(request.user),
        },
    )


@login_required
@require_GET
def card_offline(request):
    """The provider's card check without the network: the page keeps the public keys and
    verifies a card's signature in the browser (health/static/health/card_offline.js)."""
    from django.urls import reverse

    rules.require(rules.can_check_cards_offline(request.user))
    return render(
        request,
        "health/card_offline.html",
        {
            "keys": {
                **selectors.card_public_keys(),
                "at": timezone.now().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            },
            "keys_url": reverse("api-v1:health_card_keys"),
            "texts": _card_offline_texts(),
        },
    )


def _card_offline_texts() -> dict:
    return {
        "valid": _("Carte valide"),
        "expired": _("Carte authentique, mais couverture échue"),
        "invalid": _(
            "Carte non reconnue : le code n'a pas été émis par la mutuelle ou a été modifié."
        ),
        "unknown_key": _(
            "Carte non reconnue : clé de signature inconnue (mettez les clés à jour en ligne)."
        ),
        "no_crypto": _("Ce navigateur ne sait pas vérifier les signatures Ed25519."),
        "offline_note": _(
            "Vérifiée hors connexion : la couverture après le %(date)s n'est pas connue."
        ),
        "no_date": _("aucun mois payé à l'édition"),
        "keys_at": _("Clés publiques à jour du %(date)s."),
        "keys_none": _("Aucune clé publique : ouvrez cette page une fois en ligne."),
    }


@login_required
@require_POST
def household_photo(request, pk: int, person_pk: int):
    """Attach or replace a member's card photo (those who enrol the household)."""
    household = selectors.household_get(actor=request.user, pk=pk)
    member = selectors.household_member_get(household, person_pk)
    form = PhotoForm(request.POST, request.FILES)
    upload = form.cleaned_data["photo"] if form.is_valid() else None  # None: "Choisissez..."
    with domain_errors_on(request) as done:
        services.person_photo_set(
            actor=request.user, household=household, person=member.person, upload=upload
        )
    if done:
        messages.success(request, _("Photo enregistrée pour %(p)s.") % {"p": member.person})
    return redirect("health:household_detail", pk=household.pk)


@login_required
@require_GET
def scheme_books(request, pk: int):
    """The mutual's own books: trial balance and journal over a period (its agents and the
    national role)."""
    from ledger.forms import PeriodForm

    bound = PeriodForm(request.GET or None)
    date_from, date_to = bound.period(dates.today().year)
    form = (
        bound
        if bound.is_bound
        else PeriodForm(initial={"date_from": date_from, "date_to": date_to})
    )
    scheme, _book = selectors.scheme_books_get(actor=request.user, pk=pk)
    period = {"date_from": date_from, "date_to": date_to}
    rows = selectors.scheme_trial_balance(actor=request.user, pk=pk, **period)
    totals = {k: sum(r[k] for r in rows) for k in ("debit", "credit", "balance")}
    shown = [
        {**r, "amount": abs(r["balance"]), "side": "D" if r["balance"] > 0 else "C"} for r in rows
    ]
    entries = selectors.scheme_entry_list(actor=request.user, pk=pk, **period)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "health/scheme_books.html",
        {
            "scheme": scheme,
            "form": form,
            "rows": shown,
            "totals": totals,
            "page": page,
            "date_from": date_from,
            "date_to": date_to,
        },
    )


def _year_action(request, scheme, year: int, form) -> bool:
    """One POSTed step on a year of the mutual's books; True when it was taken."""
    action, actor = request.POST.get("action"), request.user
    if action in ("lock", "unlock"):
        step = services.scheme_period_lock if action == "lock" else services.scheme_period_unlock
        month = request.POST.get("month", "")
        month = int(month) if month.isascii() and month.isdigit() and len(month) < 3 else 0
        with domain_errors_on(request) as done:
            step(actor=actor, scheme=scheme, year=year, month=month)
        if done:
            messages.success(request, _("Période mise à jour."))
        return bool(done)
    if action == "close":
        if request.POST.get("confirm") != "1":
            messages.error(request, _("Cochez la confirmation pour clôturer l'exercice."))
            return False
        with domain_errors_on(request) as done:
            services.scheme_year_close(actor=actor, scheme=scheme, year=year)
        if done:
            messages.success(request, _("Exercice %(year)d clôturé.") % {"year": year})
        return bool(done)
    if action == "allocate" and form is not None and form.is_valid():
        d = form.cleaned_data
        with domain_errors_on(form):
            services.scheme_result_allocate(
                actor=actor,
                scheme=scheme,
                year=year,
                on=d["on"],
                reserve_rate=d["reserve_percent"] / 100,
            )
        if not form.errors:
            messages.success(request, _("Résultat affecté et comptabilisé."))
            return True
    return False


@login_required
@require_http_methods(["GET", "POST"])
def scheme_year(request, pk: int, year: int):
    """A year of the mutual's books: lock or reopen months, close the year, allocate its
    result to the reserve (the scheme's agents; the national role reads)."""
    import datetime

    if not 2000 <= year <= 2100:
        raise NotFound(_("Exercice introuvable."))
    state = selectors.scheme_year_state(actor=request.user, pk=pk, year=year)
    scheme, fiscal = state["scheme"], state["fiscal"]
    form = None
    if state["can_keep"] and fiscal and not fiscal.allocation_entry_id and fiscal.result:
        posted = request.POST if request.POST.get("action") == "allocate" else None
        form = ReserveForm(posted, initial={"on": datetime.date(year + 1, 3, 31)})
    if request.method == "POST":
        rules.require(state["can_keep"])
        if _year_action(request, scheme, year, form) or form is None or not form.is_bound:
            return redirect("health:scheme_year", pk=scheme.pk, year=year)
    this_year = dates.today().year
    return render(
        request,
        "health/scheme_year.html",
        {
            "scheme": scheme,
            "year": year,
            "years": sorted({*range(this_year - 3, this_year + 1), *state["closed_years"]}),
            "months": [{"month": m, "locked": m in state["locked"]} for m in range(1, 13)],
            "fiscal": fiscal,
            "can_keep": state["can_keep"],
            "can_close": state["can_keep"] and fiscal is None and year < this_year,
            "form": form,
        },
    )
