"""The words of the USSD menu, in French (source text, gettext) and Wolof.

The Wolof texts were written for this menu and must be checked by a Wolof speaker before
production (docs/ussd.md). Every answer is at most 182 characters (``fit``), in the GSM
alphabet (``gsm``: letters outside it lose their accent, as most handsets show them).
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext_lazy as _

from messaging.parts import GSM_BASIC

MAX_CHARS = 182
SUBSTITUTES = {"°": "o", "’": "'", "‘": "'", "«": '"', "»": '"', "–": "-", "—": "-", "…": "..."}

FR = {
    "choose_language": _("SunuCoop\n1. Français\n2. Wolof"),
    "unknown_number": _(
        "SunuCoop : ce numéro n'est pas enregistré. Adressez-vous à l'agent de votre coopérative."
    ),
    "no_pin": _(
        "SunuCoop : aucun code PIN pour ce numéro. Demandez à l'agent de votre coopérative "
        "de le définir."
    ),
    "ambiguous": _(
        "SunuCoop : ce numéro est celui de plusieurs personnes. Adressez-vous à votre agent."
    ),
    "ask_pin": _("SunuCoop : bonjour {name}. Entrez votre code PIN :"),
    "wrong_pin": _("Code PIN incorrect. Il vous reste {left} essai(s)."),
    "locked": _(
        "Votre code PIN est bloqué après trop d'essais. Demandez à votre agent un nouveau code."
    ),
    "menu": _(
        "1. Ma prochaine échéance\n2. Mes parts sociales\n3. Prochaine assemblée\n"
        "4. Payer mon échéance\n5. Wolof"
    ),
    "invalid_choice": _("Choix invalide. Recommencez."),
    "next_due": _("Prêt n° {loan} : échéance n° {number} de {amount} le {due_on}."),
    "arrears": _(" Impayé : {amount} ({days} j de retard)."),
    "no_arrears": _(" Aucun impayé."),
    "more_loans": _(" (+{n} autre(s) prêt(s))"),
    "no_loan": _("Vous n'avez aucun prêt en cours."),
    "nothing_due": _("Prêt n° {loan} : plus rien à payer."),
    "shares": _("{coop} : {shares} part(s), souscrit {subscribed}, libéré {paid}."),
    "no_shares": _("Aucune part sociale enregistrée à votre nom."),
    "assembly": _("{coop} : assemblée {kind} le {held_on}{place}."),
    "no_assembly": _("Aucune assemblée prévue pour votre coopérative."),
    "pay_choose": _("Payer {amount} (prêt n° {loan}) avec :"),
    "pay_confirm": _("Payer {amount} avec {provider} ?\n1. Oui\n2. Non"),
    "pay_started": _("Demande envoyée (réf. {reference}). Un SMS vous donne le lien pour payer."),
    "pay_cancelled": _("Paiement annulé."),
    "pay_failed": _("Paiement impossible pour le moment. Réessayez plus tard."),
    "no_provider": _("Aucun opérateur de paiement disponible."),
    "unavailable": _("Service momentanément indisponible. Réessayez plus tard."),
}

WO = {
    "choose_language": "SunuCoop\n1. Français\n2. Wolof",
    "unknown_number": "SunuCoop: nimero bii barewul ci SunuCoop. Seetal agent bu sa koperatif.",
    "no_pin": "SunuCoop: amoo kod PIN. Laajal agent bu sa koperatif mu defal la ko.",
    "ambiguous": "SunuCoop: ay nit yu bare ñoo am nimero bii. Seetal sa agent.",
    "ask_pin": "SunuCoop: salaam aleekum {name}. Dugalal sa kod PIN:",
    "wrong_pin": "Kod PIN bi baaxul. Des na la {left} yoon.",
    "locked": "Sa kod PIN tëju na ndax njuumte yu bare. Laajal sa agent kod bu bees.",
    "menu": (
        "1. Sama fay bu ci topp\n2. Sama parts sociales\n3. Ndaje mu ci topp\n"
        "4. Fay sama échéance\n5. Français"
    ),
    "invalid_choice": "Tànneef bi baaxul. Defaatal.",
    "next_due": "Bor n° {loan}: fay n° {number} bu {amount} ci {due_on}.",
    "arrears": " Lu des: {amount} ({days} fan yu weesu).",
    "no_arrears": " Amoo lu des.",
    "more_loans": " (+{n} bor yu ci des)",
    "no_loan": "Amoo bor bu dox.",
    "nothing_due": "Bor n° {loan}: dara desatul.",
    "shares": "{coop}: {shares} part, nga bind {subscribed}, nga fay {paid}.",
    "no_shares": "Amoo part sociale bu ñu bind ci sa tur.",
    "assembly": "{coop}: ndaje {kind} ci {held_on}{place}.",
    "no_assembly": "Amul ndaje mu ñu jàppandi ci sa koperatif.",
    "pay_choose": "Fay {amount} (bor n° {loan}) ak:",
    "pay_confirm": "Fay {amount} ak {provider}?\n1. Waaw\n2. Déedéet",
    "pay_started": "Yónne nanu sa laaj (réf. {reference}). SMS dina la jox lien bi ngay fayee.",
    "pay_cancelled": "Fay bi neenal nañu ko.",
    "pay_failed": "Manulo fay léegi. Jéemaatal ci kanam.",
    "no_provider": "Amul benn operateur fay bu jàppandi.",
    "unavailable": "Sarwiis bi jàppandiwul léegi. Jéemaatal ci kanam.",
}

TEXTS = {"fr": FR, "wo": WO}


def say(language: str, key: str, **values) -> str:
    template = TEXTS.get(language, FR).get(key) or FR[key]
    return str(template).format(**values)


def gsm(text: str) -> str:
    """``text`` in the GSM alphabet: a letter outside it loses its accent (ê -> e), « ° »
    becomes « o » (n° -> no), other characters outside it become a space; spaces of any
    kind become one plain space."""
    out = []
    for c in text:
        if c in GSM_BASIC and c not in "\r":
            out.append(c)
        elif c in SUBSTITUTES:
            out.append(SUBSTITUTES[c])
        elif c.isspace():
            out.append(" ")
        else:
            base = unicodedata.normalize("NFKD", c)[0]
            out.append(base if base in GSM_BASIC and base != c else "?" if c.isalnum() else " ")
    return "".join(out)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with "..." when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(0, limit - 3)].rstrip() + "..."


def fit(kind: str, text: str) -> str:
    """The final answer: ``CON``/``END`` + text, in GSM characters, at most 182 characters
    (a longer text is cut; the tests make sure no screen needs it)."""
    body = gsm(text)
    prefix = f"{kind} "
    if len(prefix) + len(body) > MAX_CHARS:
        body = body[: MAX_CHARS - len(prefix) - 3].rstrip() + "..."
    return prefix + body


def money(amount: int) -> str:
    """``91680`` -> ``"91 680 F"`` (plain spaces: USSD screens are GSM text)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(int(amount)):,}".replace(",", " ") + " F"
