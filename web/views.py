from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from web.selectors import home_context


@require_GET
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@login_required
def home(request):
    return render(request, "web/home.html", home_context(actor=request.user))


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    # Rendered without the request's context processors: whatever failed (the database,
    # a context processor) must not break the error page itself.
    from django.http import HttpResponseServerError
    from django.template import loader

    context = {"request_id": getattr(request, "request_id", "")}
    return HttpResponseServerError(loader.get_template("errors/500.html").render(context))


def error_400(request, exception=None):
    return render(request, "errors/400.html", status=400)
