from django import forms
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AuthenticationForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _

from accounts.services import TOKEN_NAME_MAX, user_password_set


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Identifiant ou mot de passe incorrect."),
        "inactive": _("Ce compte est désactivé."),
    }


class RevokingPasswordMixin:
    """The password forms write through ``user_password_set``, which revokes the user's
    API tokens (issue 14, point 6). ``actor`` is who changes it (the user, an admin)."""

    actor = None

    def set_password_and_save(self, user, password_field_name="password1", commit=True, **_kw):  # noqa: S107
        usable = self.cleaned_data.get("set_usable_password", True)
        password = self.cleaned_data[password_field_name] if usable else None
        if not commit:  # Django's contract: set it on the object, the caller saves
            user.set_password(password) if password is not None else user.set_unusable_password()
            return user
        return user_password_set(user=user, password=password, actor=self.actor or user)


class ResetPasswordForm(RevokingPasswordMixin, SetPasswordForm):
    """The form of the "new password" page reached from the e-mailed link."""


class AdminPasswordForm(RevokingPasswordMixin, AdminPasswordChangeForm):
    """The administration's "change password" form."""


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=TOKEN_NAME_MAX,
        required=False,
        help_text=_("Pour le reconnaître plus tard, par exemple « Tablette de terrain »."),
    )
