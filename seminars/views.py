from django.shortcuts import get_object_or_404, render

from .models import Seminar


def series(request):
    seminars = Seminar.objects.published().for_listing()
    return render(request, "seminars/series.html", {"seminars": seminars})


def seminar_detail(request, edition):
    seminar = get_object_or_404(Seminar.objects.published().for_detail(), edition=edition)
    return render(request, "seminars/detail.html", {"seminar": seminar})
