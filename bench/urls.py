"""The project's URLs plus the baseline view of the benchmarks."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    """The framework floor: routing and middleware, no database, a constant body."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("motcua.urls")),
]
