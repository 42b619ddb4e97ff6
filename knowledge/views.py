"""Knowledge pages: the library and the questions between countries are public; writing
needs an approved organisation's account; moderating, a moderator of the country."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import domain_errors_on
from knowledge import forms, rules, selectors, services
from knowledge.models import Language
from network.rich_text import render_markdown
from network.selectors import my_organisations

PAGE_SIZE = 20


def _writing_orgs(user) -> list:
    return list(my_organisations(actor=user).filter(status="approved"))


def _org_of(orgs, form):
    return next(o for o in orgs if str(o.pk) == form.cleaned_data.pop("organisation"))


def _filtered(request, form_class, keys):
    form = form_class(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    values = {k: data.get(k) or "" for k in keys}
    return form, values, urlencode({k: v for k, v in values.items() if v})


@require_GET
def item_list(request):
    keys = ("q", "country", "sector", "theme", "kind", "language")
    form, values, query = _filtered(request, forms.FilterForm, keys)
    qs = selectors.item_list(actor=request.user, **values)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.shown = selectors.version_for(item, values["language"])
    return render(
        request,
        "knowledge/item_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_write": bool(_writing_orgs(request.user)),
            "is_moderator": rules.is_moderator(request.user),
            "exchanges": selectors.exchanges(limit=5),
        },
    )


@require_GET
def item_detail(request, pk: int):
    item = selectors.item_get(actor=request.user, pk=pk)
    language = request.GET.get("langue", "")
    shown = selectors.version_for(item, language if language in Language.values else None)
    return render(
        request,
        "knowledge/item_detail.html",
        {
            "item": item,
            "shown": shown,
            "body": render_markdown(shown.body if shown else ""),
            "versions": list(item.versions.all()),
            "is_author": rules.is_author(request.user, item),
            "can_moderate": rules.can_moderate_item(request.user, item),
            "moderate_form": forms.ModerateForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request):
    orgs = _writing_orgs(request.user)
    if not orgs:
        raise PermissionDenied
    form = forms.ItemForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        organisation = _org_of(orgs, form)
        with domain_errors_on(form):
            item = services.item_propose(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        if not form.errors:
            return redirect("knowledge:item_detail", pk=item.pk)
    status = 400 if form.errors else 200
    return render(request, "knowledge/item_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def version_edit(request, pk: int):
    item = selectors.item_get(actor=request.user, pk=pk)
    if not rules.is_author(request.user, item):
        raise PermissionDenied
    language = request.GET.get("langue", "")
    current = {v.language: v for v in item.versions.all()}.get(language)
    initial = {"language": language}
    if current:
        initial.update(title=current.title, summary=current.summary, body=current.body)
    form = forms.VersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.version_save(actor=request.user, item=item, **form.cleaned_data)
        if not form.errors:
            url = reverse("knowledge:item_detail", args=[item.pk])
            return redirect(f"{url}?langue={form.cleaned_data['language']}")
    status = 400 if form.errors else 200
    return render(
        request, "knowledge/version_form.html", {"form": form, "item": item}, status=status
    )


@login_required
@require_POST
def item_moderate(request, pk: int):
    item = selectors.item_get(actor=request.user, pk=pk)
    form = forms.ModerateForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.item_moderate(actor=request.user, item=item, **form.cleaned_data)
    if form.errors:
        return render(
            request, "knowledge/moderation.html", {"form": form, "items": [item]}, status=400
        )
    return redirect("knowledge:moderation")


@login_required
@require_GET
def moderation(request):
    if not rules.is_moderator(request.user):
        raise PermissionDenied
    items = list(selectors.moderation_queue(actor=request.user)[:100])
    for item in items:
        item.shown = selectors.version_for(item)
    return render(
        request, "knowledge/moderation.html", {"items": items, "form": forms.ModerateForm()}
    )


# --------------------------------------------------------------------------- questions


@require_GET
def question_list(request):
    keys = ("q", "country", "sector", "theme")
    form, values, query = _filtered(request, forms.FilterForm, keys)
    qs = selectors.question_list(actor=request.user, **values)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/question_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_write": bool(_writing_orgs(request.user)),
            "exchanges": selectors.exchanges(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_new(request):
    orgs = _writing_orgs(request.user)
    if not orgs:
        raise PermissionDenied
    form = forms.QuestionForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        organisation = _org_of(orgs, form)
        with domain_errors_on(form):
            question = services.question_ask(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        if not form.errors:
            return redirect("knowledge:question_detail", pk=question.pk)
    status = 400 if form.errors else 200
    return render(request, "knowledge/question_form.html", {"form": form}, status=status)


def _question_page(request, question, status=200, answer_form=None):
    orgs = _writing_orgs(request.user)
    answers = selectors.answer_list(actor=request.user, question=question)
    for answer in answers:
        answer.can_moderate = rules.can_moderate_post(request.user, answer)
    return render(
        request,
        "knowledge/question_detail.html",
        {
            "question": question,
            "answers": answers,
            "answer_form": answer_form or (forms.AnswerForm(organisations=orgs) if orgs else None),
            "can_moderate": rules.can_moderate_post(request.user, question),
            "moderate_form": forms.PostModerateForm(),
        },
        status=status,
    )


@require_GET
def question_detail(request, pk: int):
    return _question_page(request, selectors.question_get(actor=request.user, pk=pk))


@login_required
@require_POST
def answer_add(request, pk: int):
    question = selectors.question_get(actor=request.user, pk=pk)
    orgs = _writing_orgs(request.user)
    if not orgs:
        raise PermissionDenied
    form = forms.AnswerForm(request.POST, organisations=orgs)
    if form.is_valid():
        organisation = _org_of(orgs, form)
        with domain_errors_on(form):
            services.answer_post(
                actor=request.user, question=question, organisation=organisation,
                **form.cleaned_data,
            )  # fmt: skip
    if form.errors:
        return _question_page(request, question, status=400, answer_form=form)
    return redirect("knowledge:question_detail", pk=pk)


def _moderate_post(request, post, question):
    form = forms.PostModerateForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.post_moderate(actor=request.user, post=post, **form.cleaned_data)
    if form.errors:
        return render(
            request,
            "knowledge/post_moderate.html",
            {"form": form, "question": question},
            status=400,
        )
    return redirect("knowledge:question_detail", pk=question.pk)


@login_required
@require_POST
def question_moderate(request, pk: int):
    question = selectors.question_get(actor=request.user, pk=pk)
    return _moderate_post(request, question, question)


@login_required
@require_POST
def answer_moderate(request, pk: int):
    answer = selectors.answer_get(actor=request.user, pk=pk)
    return _moderate_post(request, answer, answer.question)
