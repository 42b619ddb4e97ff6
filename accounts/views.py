"""A user's own API tokens: list, create (the value shown once), revoke (confirmed)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import selectors
from accounts.forms import TokenCreateForm
from accounts.services import api_token_issue, api_token_revoke
from core.forms import domain_errors_on

TOKENS_PER_PAGE = 20


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenCreateForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            new_token = api_token_issue(
                user=request.user, name=form.cleaned_data["name"], actor=request.user
            )
        if not form.errors:
            form = TokenCreateForm()
    page = Paginator(selectors.api_token_list(actor=request.user), TOKENS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "new_token": new_token,
        "max_tokens": settings.API_TOKEN_MAX_PER_USER,
    }
    return render(request, "accounts/token_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk: int):
    token = selectors.api_token_get(actor=request.user, pk=pk)
    if request.method == "POST":
        api_token_revoke(token=token, actor=request.user)
        messages.success(request, _("Le jeton a été révoqué."))
        return redirect("token_list")
    return render(request, "accounts/token_revoke.html", {"token": token})
