from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dampingi.accounts.forms import LanguageForm, LoginForm
from dampingi.accounts.services import user_set_language


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_POST
def set_language(request):
    form = LanguageForm(request.POST)
    target = "/"
    if form.is_valid():
        user_set_language(actor=request.user, language=form.cleaned_data["language"])
        nxt = form.cleaned_data["next"]
        if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
            target = nxt
    return redirect(target)
