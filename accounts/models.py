from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user


class User(AbstractUser):
    """A person who signs in. What they may see comes from their role assignments."""

    history = HistoricalRecords(get_user=history_user, excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")


class Role(models.TextChoices):
    NATIONAL = "national", _("ministère (national)")
    AGENT = "agent", _("agent de terrain")
    OFFICER = "officer", _("responsable de coopérative")
    LENDER = "lender", _("prêteur (mutuelle partenaire)")
    MEMBER = "member", _("membre")


class RoleAssignment(models.Model):
    """One role of one user, with the object that bounds what it sees.

    - national: nothing (sees everything)
    - agent: an area (a region or a department; sees the whole subtree)
    - officer: a cooperative
    - lender: a lending institution
    - member: a person of the registry

    The scoped objects live in apps above this one; they are referenced by model name
    only, so no Python import points upward (see docs/adr/0003-scoping.md).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices)
    area = models.ForeignKey(
        "geo.Area",
        verbose_name=_("zone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    cooperative = models.ForeignKey(
        "registry.Cooperative",
        verbose_name=_("coopérative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    lender = models.ForeignKey(
        "credit.Lender",
        verbose_name=_("prêteur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("personne"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("attribution de rôle")
        verbose_name_plural = _("attributions de rôle")
        constraints = [
            models.CheckConstraint(
                name="role_assignment_target_matches_role",
                condition=(
                    models.Q(
                        role="national",
                        area__isnull=True,
                        cooperative__isnull=True,
                        lender__isnull=True,
                        person__isnull=True,
                    )
                    | models.Q(
                        role="agent",
                        area__isnull=False,
                        cooperative__isnull=True,
                        lender__isnull=True,
                        person__isnull=True,
                    )
                    | models.Q(
                        role="officer",
                        cooperative__isnull=False,
                        area__isnull=True,
                        lender__isnull=True,
                        person__isnull=True,
                    )
                    | models.Q(
                        role="lender",
                        lender__isnull=False,
                        area__isnull=True,
                        cooperative__isnull=True,
                        person__isnull=True,
                    )
                    | models.Q(
                        role="member",
                        person__isnull=False,
                        area__isnull=True,
                        cooperative__isnull=True,
                        lender__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        target = self.area or self.cooperative or self.lender or self.person or ""
        return f"{self.user} · {self.get_role_display()} {target}".strip()


class TokenRevocation(models.TextChoices):
    USER = "user", _("révoqué par son titulaire")
    ADMIN = "admin", _("révoqué par un administrateur")
    PASSWORD = "password", _("mot de passe changé")
    DEACTIVATED = "deactivated", _("compte désactivé")
    LIMIT = "limit", _("remplacé par un jeton plus récent (nombre maximal atteint)")


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; it expires and can be revoked.

    ``password_stamp`` is an HMAC of the user's password hash when the token was issued: a
    password changed by any path (form, admin, ``changepassword``) makes it differ, and the
    token no longer authenticates even before it is marked revoked (docs/accounts.md)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nom"), max_length=100, blank=True, default="")
    key_hash = models.CharField(max_length=64, unique=True)
    password_stamp = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("motif de révocation"), max_length=16, choices=TokenRevocation.choices, blank=True
    )
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")

    def __str__(self) -> str:
        return f"{self.user} · {self.name or self.created_at.strftime('%Y-%m-%d')}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status_label(self) -> str:
        if self.revoked_at is not None:
            return str(_("révoqué")) + (
                f" ({self.get_revoked_reason_display()})" if self.revoked_reason else ""
            )
        return str(_("actif")) if self.is_live else str(_("expiré"))
