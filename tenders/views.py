"""The calls for tenders' pages: public ones (the calls, their documents, answered
questions) and the buyer's, submitters' and evaluators' own. Thin: reads through the
selectors (which keep the offers sealed), writes through the services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import domain_errors_on
from network import selectors as network_selectors
from network.forms import FilterForm
from network.rules import network_scope
from tenders import documents, forms, rules, selectors, services

PAGE_SIZE = 20


@require_GET
def tender_list(request):
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.tender_list(actor=None, q=data.get("q") or "", country=data.get("country") or "")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for tender in page.object_list:
        tender.status_code = selectors.tender_status(tender)
        tender.status_label = selectors.STATUS_LABELS[tender.status_code]
    return render(
        request,
        "tenders/tender_list.html",
        {"form": form, "page": page, "can_publish": _buyers(request.user).exists()},
    )


def _buyers(user):
    """The organisations the user may publish calls for."""
    if network_scope(user).admin:
        return network_selectors.organisation_list(actor=user, status="approved")
    return selectors.my_submitting_organisations(actor=user)


def _detail_context(request, tender, **forms_given) -> dict:
    user = request.user
    status = selectors.tender_status(tender)
    offers = selectors.submission_list(actor=user, tender=tender)
    submitters = selectors.my_submitting_organisations(actor=user).exclude(pk=tender.buyer_id)
    return {
        "tender": tender,
        "status": status,
        "status_label": selectors.STATUS_LABELS[status],
        "criteria": tender.criteria.all(),
        "documents": tender.documents.defer("data"),
        "questions": selectors.question_list(actor=user, tender=tender),
        "offers": offers,
        "is_buyer": rules.is_buyer(user, tender),
        "is_evaluator": selectors.evaluator_get(actor=user, tender=tender) is not None,
        "question_form": forms_given.get("question_form") or forms.QuestionForm(),
        "document_form": forms_given.get("document_form") or forms.DocumentForm(),
        "answer_form": forms.AnswerForm(),
        "submission_form": forms_given.get("submission_form")
        or forms.SubmissionForm(organisations=submitters),
        "can_submit": (status == "open" and submitters.exists())
        or "submission_form" in forms_given,
    }


@require_GET
def tender_detail(request, pk: int):
    tender = selectors.tender_get(actor=request.user, pk=pk)
    return render(request, "tenders/tender_detail.html", _detail_context(request, tender))


@require_GET
def document_download(request, pk: int, doc: int):
    tender = selectors.tender_get(actor=request.user, pk=pk)
    document = selectors.document_get(actor=request.user, tender=tender, pk=doc)
    return _file_response(document.data, document.filename, document.content_type)


def _file_response(data, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def tender_new(request):
    buyers = list(_buyers(request.user)[:200])
    if not buyers:
        raise PermissionDenied
    form = forms.TenderForm(request.POST or None, buyers=buyers)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        buyer = next(b for b in buyers if str(b.pk) == data.pop("buyer"))
        with domain_errors_on(form):
            tender = services.tender_publish(actor=request.user, buyer=buyer, **data)
        if not form.errors:
            return redirect("tenders:detail", pk=tender.pk)
    status = 400 if form.errors else 200
    return render(request, "tenders/tender_form.html", {"form": form}, status=status)


@login_required
@require_POST
def document_add(request, pk: int):
    tender = selectors.tender_get(actor=request.user, pk=pk)
    if not rules.is_buyer(request.user, tender):
        raise PermissionDenied
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        with domain_errors_on(form):
            clean = documents.clean_upload(form.cleaned_data["file"])
            services.tender_document_add(
                actor=request.user, tender=tender, title=form.cleaned_data["title"], file=clean
            )
    if form.errors:
        context = _detail_context(request, tender, document_form=form)
        return render(request, "tenders/tender_detail.html", context, status=400)
    return redirect("tenders:detail", pk=pk)


@login_required
@require_POST
def question_ask(request, pk: int):
    tender = selectors.tender_get(actor=request.user, pk=pk)
    form = forms.QuestionForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.question_ask(actor=request.user, tender=tender, **form.cleaned_data)
    if form.errors:
        context = _detail_context(request, tender, question_form=form)
        return render(request, "tenders/tender_detail.html", context, status=400)
    return redirect("tenders:detail", pk=pk)


@login_required
@require_POST
def question_answer(request, pk: int):
    question = selectors.question_get(actor=request.user, pk=pk)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.question_answer(actor=request.user, question=question, **form.cleaned_data)
    if form.errors:
        context = _detail_context(request, question.tender)
        return render(request, "tenders/tender_detail.html", context, status=400)
    return redirect("tenders:detail", pk=question.tender_id)


@login_required
@require_POST
def submission_submit(request, pk: int):
    tender = selectors.tender_get(actor=request.user, pk=pk)
    orgs = list(selectors.my_submitting_organisations(actor=request.user))
    if not orgs:
        raise PermissionDenied
    form = forms.SubmissionForm(request.POST, request.FILES, organisations=orgs)
    if form.is_valid():
        data = dict(form.cleaned_data)
        org = next(o for o in orgs if str(o.pk) == data.pop("organisation"))
        upload = data.pop("file")
        with domain_errors_on(form):
            clean = documents.clean_upload(upload) if upload else None
            services.submission_submit(
                actor=request.user, tender=tender, organisation=org, file=clean, **data
            )
    if form.errors:
        context = _detail_context(request, tender, submission_form=form)
        return render(request, "tenders/tender_detail.html", context, status=400)
    return redirect("tenders:detail", pk=pk)


@login_required
@require_GET
def submission_file(request, pk: int):
    offer = selectors.submission_get(actor=request.user, pk=pk)
    if not offer.size:
        raise PermissionDenied
    return _file_response(offer.data, offer.filename, offer.content_type)


@login_required
@require_GET
def notices(request):
    page = Paginator(selectors.notice_list(actor=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "tenders/notices.html", {"page": page})
