"""Benchmark only: the X-Bench-Client header stands for the client's address (see settings)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


def bench_client_address(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        client = request.META.get("HTTP_X_BENCH_CLIENT")
        if client:
            request.META["REMOTE_ADDR"] = client
        return get_response(request)

    return middleware
