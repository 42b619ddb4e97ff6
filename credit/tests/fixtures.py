"""The credit world shared by the tests of credit, payments and core (through the root
conftest's ``credit`` fixture: fixtures are never imported between test modules)."""

from dataclasses import dataclass

from credit.tests.factories import LenderFactory, active_loan, lender_staff, product


@dataclass
class Credit:
    w: object
    checker: object  # a second user of the world's lender (maker-checker)
    product: object
    loan_tc: object  # to the Koumpentoum cooperative
    loan_mbour: object  # to the Mbour cooperative
    loan_person: object  # to a Koumpentoum member, through her cooperative
    loan_other: object  # another lender's loan, in Thiès
    other_lender_user: object


def credit_world(world) -> Credit:
    """Loans on both sides of the world (the ``credit`` fixture of the root conftest)."""
    checker = lender_staff(world.lender_obj, "checker")
    prod = product(world.lender, world.lender_obj)
    other = LenderFactory(name="Autre MEC")
    other_user = lender_staff(other, "other-lender")
    other_checker = lender_staff(other, "other-checker")
    other_prod = product(other_user, other)
    loans = {
        "loan_tc": {"borrower_cooperative": world.coop_tc},
        "loan_mbour": {"borrower_cooperative": world.coop_mbour},
        "loan_person": {"borrower_person": world.persons_tc[0]},
    }
    made = {
        k: active_loan(maker=world.lender, checker=checker, product=prod, **v)
        for k, v in loans.items()
    }
    made["loan_other"] = active_loan(
        maker=other_user,
        checker=other_checker,
        product=other_prod,
        borrower_cooperative=world.coop_thies,
    )
    return Credit(w=world, checker=checker, product=prod, other_lender_user=other_user, **made)
