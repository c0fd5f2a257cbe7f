"""What keeps the site answering: the health check for load balancers, and the
error pages."""

from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .backups import incomplete_restore


@never_cache
def health(request):
    """200 while the database answers, 503 when it does not or a restore is half done:
    for load balancers."""
    state = incomplete_restore()
    if state and state.get("phase") == "switching":
        return HttpResponse(
            "restore incomplete: see manage.py check\n",
            status=503,
            content_type="text/plain",
        )
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def error_page(request, status):
    return render(request, "error.html", {"status": status}, status=status)


def bad_request(request, exception):
    return error_page(request, 400)


def permission_denied(request, exception):
    return error_page(request, 403)


def page_not_found(request, exception):
    return error_page(request, 404)


def server_error(request):
    # Whatever broke may break the page too: fall back to plain text, never a second error.
    try:
        return error_page(request, 500)
    except Exception:
        return HttpResponseServerError("Server error\n", content_type="text/plain")
