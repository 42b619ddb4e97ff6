"""USSD sessions through the endpoint: full walks in French and Wolof, the PIN and its
lock, unknown numbers, and every screen within 182 GSM characters."""

import pytest

from messaging.models import Recipient
from messaging.parts import is_gsm7
from ussd.models import UssdPin
from ussd.services import ussd_pin_set
from ussd.tests.conftest import PHONE, PIN, make_member

pytestmark = pytest.mark.django_db


def walk(dial, *texts, session="s1"):
    return [dial(t, session=session)[1] for t in texts]


def test_full_walk_in_french(member, dial):
    first, ask_pin, menu, due = walk(dial, "", "1", f"1*{PIN}", f"1*{PIN}*1")
    assert first == "CON SunuCoop\n1. Francais\n2. Wolof"
    assert ask_pin == "CON SunuCoop : bonjour Awa. Entrez votre code PIN :"
    assert menu.startswith("CON 1. Ma prochaine échéance\n2. Mes parts sociales")
    inst = member.loan.instalments.filter(number=1).get()
    amount = f"{inst.total_due:,}".replace(",", " ")
    assert due.startswith(
        f"END Pret no {member.loan.pk} : échéance no 1 de {amount} F le 15/02/2026"
    )
    _status, ask = dial("", session="s2")  # a new session: PIN asked again
    assert ask.startswith("CON SunuCoop : bonjour")  # French is now the known preference
    shares = walk(dial, f"{PIN}*2", session="s2")[0]
    assert shares == (
        "END Coopérative des tisserands de Koumpentoum : 10 part(s), souscrit 50 000 F, "
        "libéré 20 000 F."
    )
    assembly = walk(dial, "", f"{PIN}*3", session="s3")[1]
    held = member.assembly.held_on.strftime("%d/%m/%Y")
    assert (
        assembly
        == f"END Coopérative des tisserands de Koumpentoum : assemblée ordinaire le {held}."
    )


def test_full_walk_in_wolof_and_the_choice_is_remembered(member, dial):
    first, ask_pin, menu, due, shares = walk(dial, "", "2", f"2*{PIN}", f"2*{PIN}*1", f"2*{PIN}*2")
    assert ask_pin == "CON SunuCoop: salaam aleekum Awa. Dugalal sa kod PIN:"
    assert menu.startswith("CON 1. Sama fay bu ci topp") and menu.endswith("5. Francais")
    assert due.startswith(f"END Bor no {member.loan.pk}: fay no 1 bu ")
    assert Recipient.objects.get(phone=PHONE).language == "wo"
    # the next session starts in Wolof, at the PIN; 5 switches to French for good
    ask, menu_fr = walk(dial, "", f"{PIN}*5", session="s9")
    assert ask.startswith("CON SunuCoop: salaam aleekum")
    assert menu_fr.startswith("CON 1. Ma prochaine échéance") and menu_fr.endswith("5. Wolof")
    assert Recipient.objects.get(phone=PHONE).language == "fr"
    assembly = walk(dial, f"{PIN}*5*3", session="s9")[0]
    assert assembly.startswith("END Coopérative des tisserands")


def test_wrong_pins_lock_until_the_agent_resets(member, dial):
    assert walk(dial, "1*1111", session="a") == [
        "END Code PIN incorrect. Il vous reste 2 essai(s)."
    ]
    # the aggregator retries the same step: counted once
    assert walk(dial, "1*1111", session="a") == [
        "END Code PIN incorrect. Il vous reste 2 essai(s)."
    ]
    assert UssdPin.objects.get().failed_attempts == 1
    assert walk(dial, f"{PIN}*1", session="b")[0].startswith("END Pret")  # right PIN: reset
    assert UssdPin.objects.get().failed_attempts == 0
    walk(dial, "0000", session="c")
    walk(dial, "9999", session="d")
    locked = walk(dial, "9898", session="e")[0]
    assert locked.startswith("END Votre code PIN est bloqué")
    assert walk(dial, f"{PIN}", session="f")[0].startswith("END Votre code PIN est bloqué")
    pin = UssdPin.objects.get()
    assert pin.locked_at is not None and pin.failed_attempts == 3
    ussd_pin_set(person=member.person, pin="8642", actor=member.w.agent_tc)
    assert walk(dial, "8642", session="g")[0].startswith("CON 1. Ma prochaine")


def test_unknown_number_and_member_without_pin(member, dial):
    status, body = dial("", phone="+221780000001")
    assert status == 200 and body.startswith("END SunuCoop : ce numéro n'est pas enregistré")
    status, body = dial("", phone="not a phone")
    assert body.startswith("END SunuCoop : ce numéro n'est pas enregistré")
    other = member.w.persons_tc[1]
    other.phone = "+221780000002"
    other.save()
    status, body = dial("", phone="+221780000002")
    assert body.startswith("END SunuCoop : aucun code PIN")


def test_invalid_choices_end_cleanly(member, dial):
    assert walk(dial, "7")[0] == "END Choix invalide. Recommencez."
    assert walk(dial, f"1*{PIN}*9", session="x")[0] == "END Choix invalide. Recommencez."
    assert walk(dial, "1*" + "*" * 150, session="y")[0].startswith("END")
    status, body = dial("1*" + "1" * 500, session="z")
    assert status == 200 and body == "END Choix invalide. Recommencez."


def test_a_member_without_loan_shares_or_assembly(world, ussd_settings, dial):
    person = world.persons_tc[1]
    person.phone = PHONE
    person.save()
    ussd_pin_set(person=person, pin=PIN, actor=world.national)
    assert walk(dial, "", "1", f"1*{PIN}*1")[2] == "END Vous n'avez aucun pret en cours."
    assert (
        walk(dial, f"{PIN}*2", session="b")[0] == "END Aucune part sociale enregistrée à votre nom."
    )
    assert walk(dial, f"{PIN}*3", session="c")[0] == (
        "END Aucune assemblée prévue pour votre coopérative."
    )


def every_screen(dial, language):
    """Every screen: the first session chooses the language, the next ones (which start
    at the PIN, the language being known) open each entry of the menu, in both languages."""
    pick = "1" if language == "fr" else "2"
    screens = [dial(t, session="first")[1] for t in ("", pick, f"{pick}*{PIN}")]
    for i, choice in enumerate(["1", "2", "3", "4", "5", "5*1", "5*2", "5*3", "5*4", "5*5"]):
        screens.append(dial(f"{PIN}*{choice}", session=f"s{i}")[1])
        if choice.startswith("5"):  # 5 switched the language for good: switch it back
            dial(f"{PIN}*5", session=f"back{i}")
    return screens


@pytest.mark.parametrize("language", ["fr", "wo"])
def test_every_screen_fits_182_gsm_characters_with_long_names_and_big_amounts(
    world, ussd_settings, dial, language
):
    m = make_member(
        world,
        first_name="Ndèye Fatou Ndiaye Mbaye Diop Sow Fall Ba Ka",
        coop_name="Coopérative Productive Solidaire des transformatrices de céréales locales "
        "et de produits halieutiques de la commune de Koumpentoum, Tambacounda, Sénégal"[:200],
        principal=999_999_999,
        place="Salle polyvalente de la maison communautaire du quartier Escale, Koumpentoum",
    )
    # arrears as the nightly job would store them, at their largest
    type(m.loan).objects.filter(pk=m.loan.pk).update(arrears_amount=999_999_999, days_past_due=9999)
    screens = every_screen(dial, language)
    for screen in screens:
        assert len(screen) <= 182 and is_gsm7(screen), screen
    due = [s for s in screens if "91 679 993 F" in s]  # big amounts shown in full
    assert len(due) == 2 and all("999 999 999 F (9999 j" in s or "(9999 fan" in s for s in due)


def test_the_same_session_replayed_by_the_aggregator_is_stable(member, dial):
    first = walk(dial, "", "1", f"1*{PIN}", f"1*{PIN}*1")
    again = walk(dial, "", "1", f"1*{PIN}", f"1*{PIN}*1")
    assert first[1:] == again[1:] and UssdPin.objects.get().failed_attempts == 0
