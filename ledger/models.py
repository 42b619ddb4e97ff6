"""Double-entry books on the SYSCOHADA chart, one set per cooperative.

Entries are append-only: never edited, never deleted; a mistake is undone by a reversal
entry. Every write goes through ledger/services.py (balance, numbering, period locks).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user


class Account(models.Model):
    """An account of the SYSCOHADA chart (a cooperative's subset, shared by all)."""

    code = models.CharField(_("numéro"), max_length=10, unique=True)
    label = models.CharField(_("intitulé"), max_length=160)
    account_class = models.PositiveSmallIntegerField(_("classe"))
    active = models.BooleanField(_("actif"), default=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="account_class_1_to_9",
                condition=models.Q(account_class__gte=1, account_class__lte=9),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class JournalKind(models.TextChoices):
    CASH = "cash", _("caisse")
    BANK = "bank", _("banque")
    MOBILE = "mobile_money", _("mobile money")
    OPERATIONS = "operations", _("opérations diverses")


class Journal(models.Model):
    """A book of original entry of one cooperative: CA (caisse), BQ, MM, OD."""

    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="journals"
    )
    code = models.CharField(_("code"), max_length=4)
    label = models.CharField(_("intitulé"), max_length=80)
    kind = models.CharField(_("type"), max_length=16, choices=JournalKind.choices)
    account = models.ForeignKey(
        Account,
        verbose_name=_("compte de trésorerie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("journal")
        verbose_name_plural = _("journaux")
        ordering = ["cooperative", "code"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="journal_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class JournalSequence(models.Model):
    """The last number given in one journal and fiscal year (allocated under a row lock)."""

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="sequences")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["journal", "year"], name="journal_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.journal} {self.year}: {self.last_number}"


class EntryKind(models.TextChoices):
    NORMAL = "normal", _("écriture courante")
    REVERSAL = "reversal", _("contre-passation")
    CLOSING = "closing", _("clôture de l'exercice")
    OPENING = "opening", _("à-nouveaux")
    ALLOCATION = "allocation", _("affectation du résultat")


class JournalEntry(models.Model):
    """One balanced entry. Numbered without gaps per journal and fiscal year."""

    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="journal_entries"
    )
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="entries")
    fiscal_year = models.PositiveSmallIntegerField(_("exercice"))
    number = models.PositiveIntegerField(_("numéro"))
    date = models.DateField(_("date"))
    label = models.CharField(_("libellé"), max_length=200)
    kind = models.CharField(
        _("nature"), max_length=12, choices=EntryKind.choices, default=EntryKind.NORMAL
    )
    source = models.CharField(_("origine"), max_length=40, blank=True, default="")
    source_ref = models.CharField(_("référence d'origine"), max_length=80, blank=True, default="")
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("contre-passe"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    search_text = models.CharField(max_length=300, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("écriture")
        verbose_name_plural = _("écritures")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["journal", "fiscal_year", "number"], name="entry_number_unique"
            ),
            models.UniqueConstraint(
                fields=["cooperative", "source", "source_ref"],
                name="entry_source_ref_unique",
                condition=~models.Q(source_ref=""),
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "date"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.label}"

    @property
    def total(self) -> int:
        """Total debit (= total credit), from the prefetched lines."""
        return sum(line.debit for line in self.lines.all())

    @property
    def reference(self) -> str:
        return f"{self.journal.code}-{self.fiscal_year}-{self.number:05d}"


class JournalLine(models.Model):
    """A debit or a credit on one account (whole francs). Append-only."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    date = models.DateField(_("date"))
    debit = models.PositiveBigIntegerField(_("débit"), default=0)
    credit = models.PositiveBigIntegerField(_("crédit"), default=0)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("membre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ligne d'écriture")
        verbose_name_plural = _("lignes d'écriture")
        ordering = ["entry", "id"]
        constraints = [
            models.CheckConstraint(
                name="line_debit_xor_credit",
                condition=(models.Q(debit__gt=0, credit=0) | models.Q(debit=0, credit__gt=0)),
            ),
        ]
        indexes = [
            models.Index(fields=["cooperative", "account", "date"]),
            models.Index(fields=["cooperative", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.account.code} D{self.debit} C{self.credit}"


class PeriodLock(models.Model):
    """A locked month of a cooperative's books: nothing can be posted into it."""

    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    month = models.PositiveSmallIntegerField(_("mois"))
    locked_at = models.DateTimeField(auto_now_add=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("période verrouillée")
        verbose_name_plural = _("périodes verrouillées")
        ordering = ["cooperative", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "year", "month"], name="period_lock_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:02d}/{self.year}"


class FiscalYear(models.Model):
    """A closed year (calendar year). Its result and carried-forward entries are posted."""

    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("exercice"))
    result = models.BigIntegerField(_("résultat net"))
    closed_on = models.DateField(_("clôturé le"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closing_entry = models.ForeignKey(
        JournalEntry, null=True, on_delete=models.PROTECT, related_name="+"
    )
    opening_entry = models.ForeignKey(
        JournalEntry, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("exercice clôturé")
        verbose_name_plural = _("exercices clôturés")
        ordering = ["cooperative", "year"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "year"], name="fiscal_year_unique"),
        ]

    def __str__(self) -> str:
        return str(self.year)


class MemberTransaction(models.Model):
    """A member's business with the cooperative (deliveries, purchases) in XOF.

    The basis of patronage refunds (ristournes). Fed by ``member_transaction_record``.
    """

    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("date"))
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    label = models.CharField(_("libellé"), max_length=200, blank=True)
    source = models.CharField(_("origine"), max_length=40, blank=True, default="")
    source_ref = models.CharField(_("référence d'origine"), max_length=80, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("opération d'un membre avec la coopérative")
        verbose_name_plural = _("opérations des membres avec la coopérative")
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "source", "source_ref"],
                name="member_transaction_source_ref_unique",
                condition=~models.Q(source_ref=""),
            ),
            models.CheckConstraint(
                name="member_transaction_positive", condition=models.Q(amount__gt=0)
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "on"])]

    def __str__(self) -> str:
        return f"{self.person} {self.amount} ({self.on})"


class SurplusAllocation(models.Model):
    """The assembly's allocation of one year's net result, as posted."""

    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("exercice"))
    decided_on = models.DateField(_("date de l'assemblée"))
    result = models.BigIntegerField(_("résultat net"))
    capital = models.BigIntegerField(_("capital libéré"))
    general_reserve_rate = models.DecimalField(max_digits=5, decimal_places=4)
    training_reserve_rate = models.DecimalField(max_digits=5, decimal_places=4)
    optional_reserve_rate = models.DecimalField(max_digits=5, decimal_places=4)
    share_interest_rate = models.DecimalField(max_digits=5, decimal_places=4)
    general_reserve = models.BigIntegerField(_("réserve générale"))
    training_reserve = models.BigIntegerField(_("réserve de formation"))
    optional_reserve = models.BigIntegerField(_("réserves facultatives"))
    share_interest = models.BigIntegerField(_("intérêts aux parts"))
    patronage = models.BigIntegerField(_("ristournes"))
    retained = models.BigIntegerField(_("report à nouveau"))
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("affectation du résultat")
        verbose_name_plural = _("affectations du résultat")
        ordering = ["cooperative", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "year"], name="surplus_allocation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} {self.year}"


class MemberAllocation(models.Model):
    """One member's share of an allocation: interest on paid-up shares and refund."""

    allocation = models.ForeignKey(
        SurplusAllocation, on_delete=models.PROTECT, related_name="members"
    )
    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    paid_up_shares = models.BigIntegerField(_("parts libérées"))
    share_interest = models.BigIntegerField(_("intérêts aux parts"))
    volume = models.BigIntegerField(_("opérations avec la coopérative"))
    refund = models.BigIntegerField(_("ristourne"))

    class Meta:
        verbose_name = _("part d'un membre dans l'affectation")
        verbose_name_plural = _("parts des membres dans l'affectation")
        ordering = ["allocation", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["allocation", "person"], name="member_allocation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.allocation.year}"

    @property
    def total(self) -> int:
        return self.share_interest + self.refund


class HolderBook(models.Model):
    """The books of a holder that is not a cooperative (a mutuelle de santé, say): an app
    above opens one for each of its holders and posts through ``holder_entry_post``.
    ``holder`` names the kind (``health.scheme``), ``holder_id`` the row in that app."""

    holder = models.CharField(_("titulaire"), max_length=40)
    holder_id = models.PositiveBigIntegerField()
    name = models.CharField(_("nom"), max_length=160)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("livre d'un titulaire")
        verbose_name_plural = _("livres des titulaires")
        ordering = ["holder", "holder_id"]
        constraints = [
            models.UniqueConstraint(fields=["holder", "holder_id"], name="holder_book_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class HolderEntry(models.Model):
    """One balanced entry of a holder's books, posted once per (source, source_ref).
    Append-only: never edited, never deleted."""

    book = models.ForeignKey(HolderBook, on_delete=models.PROTECT, related_name="entries")
    date = models.DateField(_("date"))
    label = models.CharField(_("libellé"), max_length=200)
    source = models.CharField(_("origine"), max_length=40)
    source_ref = models.CharField(_("référence d'origine"), max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("écriture d'un titulaire")
        verbose_name_plural = _("écritures des titulaires")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["book", "source", "source_ref"], name="holder_entry_once"
            ),
        ]
        indexes = [models.Index(fields=["book", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.label}"


class HolderLine(models.Model):
    """A debit or a credit of a holder's entry (whole francs). Append-only."""

    entry = models.ForeignKey(HolderEntry, on_delete=models.PROTECT, related_name="lines")
    book = models.ForeignKey(HolderBook, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="holder_lines")
    date = models.DateField(_("date"))
    debit = models.PositiveBigIntegerField(_("débit"), default=0)
    credit = models.PositiveBigIntegerField(_("crédit"), default=0)

    class Meta:
        verbose_name = _("ligne d'écriture d'un titulaire")
        verbose_name_plural = _("lignes d'écriture des titulaires")
        ordering = ["entry", "id"]
        constraints = [
            models.CheckConstraint(
                name="holder_line_debit_xor_credit",
                condition=(models.Q(debit__gt=0, credit=0) | models.Q(debit=0, credit__gt=0)),
            ),
        ]
        indexes = [models.Index(fields=["book", "account", "date"])]

    def __str__(self) -> str:
        return f"{self.account.code} D{self.debit} C{self.credit}"


class HolderPeriodLock(models.Model):
    """A locked month of a holder's books: nothing can be posted into it."""

    book = models.ForeignKey(HolderBook, on_delete=models.PROTECT, related_name="locks")
    year = models.PositiveSmallIntegerField(_("année"))
    month = models.PositiveSmallIntegerField(_("mois"))
    locked_at = models.DateTimeField(auto_now_add=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("période verrouillée d'un titulaire")
        verbose_name_plural = _("périodes verrouillées des titulaires")
        ordering = ["book", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["book", "year", "month"], name="holder_period_lock_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:02d}/{self.year}"


class HolderFiscalYear(models.Model):
    """A closed year of a holder's books: its result (class 6-8 cleared into 131/139 on
    31/12) and, once decided, the result's allocation (reserves, carried forward)."""

    book = models.ForeignKey(HolderBook, on_delete=models.PROTECT, related_name="years")
    year = models.PositiveSmallIntegerField(_("exercice"))
    result = models.BigIntegerField(_("résultat net"))
    closed_on = models.DateField(_("clôturé le"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closing_entry = models.ForeignKey(
        HolderEntry, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reserves = models.BigIntegerField(_("aux réserves"), default=0)
    carried_forward = models.BigIntegerField(_("report à nouveau"), default=0)
    allocated_on = models.DateField(_("affecté le"), null=True, blank=True)
    allocation_entry = models.ForeignKey(
        HolderEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("exercice clôturé d'un titulaire")
        verbose_name_plural = _("exercices clôturés des titulaires")
        ordering = ["book", "year"]
        constraints = [
            models.UniqueConstraint(fields=["book", "year"], name="holder_fiscal_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.book} {self.year}"
