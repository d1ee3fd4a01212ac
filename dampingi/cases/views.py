from django.shortcuts import render


def case_list(request):
    return render(request, "reports/home.html", {})
