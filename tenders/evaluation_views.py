"""The evaluation's pages (after the deadline): the buyer names evaluators, each declares
no conflict of interest, scores every offer on the grid; the buyer awards with reasons."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.forms import domain_errors_on
from tenders import forms, rules, selectors, services


def _context(request, tender, **given) -> dict:
    user = request.user
    evaluator = selectors.evaluator_get(actor=user, tender=tender)
    results = selectors.tender_results(actor=user, tender=tender)
    criteria = list(tender.criteria.all())
    mine = selectors.my_scores(evaluator=evaluator) if evaluator and evaluator.declared_at else {}
    for row in results:
        initial = {
            c.pk: getattr(mine.get((row["offer"].pk, c.pk)), "score", None) for c in criteria
        }
        row["form"] = forms.ScoreForm(
            criteria=criteria, initial_scores=initial, prefix=f"o{row['offer'].pk}"
        )
    status = selectors.tender_status(tender)
    return {
        "tender": tender,
        "status": status,
        "status_label": selectors.STATUS_LABELS[status],
        "sealed": selectors.is_sealed(tender),
        "is_buyer": rules.is_buyer(user, tender),
        "evaluator": evaluator,
        "evaluators": selectors.evaluator_list(actor=user, tender=tender),
        "criteria": criteria,
        "results": results,
        "submitters": [r["offer"].organisation.name for r in results],
        "evaluator_form": given.get("evaluator_form") or forms.EvaluatorForm(),
        "declaration_form": given.get("declaration_form") or forms.DeclarationForm(),
        "award_form": given.get("award_form")
        or forms.AwardForm(offers=[r["offer"] for r in results]),
        "error_form": given.get("error_form"),
    }


@login_required
@require_GET
def evaluation(request, pk: int):
    tender = selectors.evaluation_tender_get(actor=request.user, pk=pk)
    return render(request, "tenders/evaluation.html", _context(request, tender))


def _again(request, tender, **given):
    return render(
        request, "tenders/evaluation.html", _context(request, tender, **given), status=400
    )


@login_required
@require_POST
def evaluator_appoint(request, pk: int):
    tender = selectors.evaluation_tender_get(actor=request.user, pk=pk)
    form = forms.EvaluatorForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.evaluator_appoint(actor=request.user, tender=tender, **form.cleaned_data)
    if form.errors:
        return _again(request, tender, evaluator_form=form)
    return redirect("tenders:evaluation", pk=pk)


@login_required
@require_POST
def evaluator_declare(request, pk: int):
    tender = selectors.evaluation_tender_get(actor=request.user, pk=pk)
    form = forms.DeclarationForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.evaluator_declare(actor=request.user, tender=tender, **form.cleaned_data)
    if form.errors:
        return _again(request, tender, declaration_form=form)
    return redirect("tenders:evaluation", pk=pk)


@login_required
@require_POST
def scores_record(request, pk: int):
    offer = selectors.submission_get(actor=request.user, pk=pk)
    tender = offer.tender
    form = forms.ScoreForm(request.POST, criteria=tender.criteria.all(), prefix=f"o{offer.pk}")
    if form.is_valid():
        with domain_errors_on(form):
            services.scores_record(actor=request.user, submission=offer, scores=form.scores())
    if form.errors:
        return _again(request, tender, error_form=form)
    return redirect("tenders:evaluation", pk=tender.pk)


@login_required
@require_POST
def tender_award(request, pk: int):
    tender = selectors.evaluation_tender_get(actor=request.user, pk=pk)
    offers = list(selectors.submission_list(actor=request.user, tender=tender))
    form = forms.AwardForm(request.POST, offers=offers)
    if form.is_valid():
        offer = next(o for o in offers if str(o.pk) == form.cleaned_data["submission"])
        with domain_errors_on(form):
            services.tender_award(
                actor=request.user, tender=tender, submission=offer,
                reasons=form.cleaned_data["reasons"],
            )  # fmt: skip
    if form.errors:
        return _again(request, tender, award_form=form)
    return redirect("tenders:evaluation", pk=pk)
