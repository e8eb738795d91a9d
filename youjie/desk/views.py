from django.http import HttpRequest, HttpResponse


def my_queue(request: HttpRequest) -> HttpResponse:
    return HttpResponse("todo")
