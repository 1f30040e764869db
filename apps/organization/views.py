from django.http import HttpResponse


def unit_list(request):
    return HttpResponse("TODO")


def taskgroup_list(request):
    return HttpResponse("TODO")
