from django.contrib.auth import views as auth_views


from .forms import GuardedAuthenticationForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = GuardedAuthenticationForm
