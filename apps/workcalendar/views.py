from django.http import HttpResponse


def year_list(request):
    return HttpResponse("TODO")
