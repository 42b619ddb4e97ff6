"""Issue 23, point 5: the evidence of which tables carry their cooperative
(ops/tenancy.py, ``manage.py tenancy``, reproduced in docs/scale-out.md)."""

from io import StringIO

from django.apps import apps
from django.core.management import call_command

from ops.tenancy import classify, path_to_cooperative, tables


def _model(label):
    return apps.get_model(label)


def test_tables_with_their_own_cooperative_column():
    assert classify(_model("registry.Membership")) == "cooperative"
    assert classify(_model("credit.Loan")) == "cooperative (borrower_cooperative?)"


def test_tables_that_reach_a_cooperative_through_their_parents():
    assert classify(_model("governance.Resolution")) == "via assembly.cooperative"
    assert path_to_cooperative(_model("valuechain.TillClosing")) == ["till", "site", "cooperative?"]


def test_reference_tables_have_no_path_to_a_cooperative():
    for label in ("geo.Area", "registry.Sector", "training.Module", "credit.Lender"):
        assert classify(_model(label)) == "reference", label


def test_every_own_table_is_classified_once_and_history_follows_its_table():
    rows = tables()
    names = [t.db_table for t in rows]
    assert len(names) == len(set(names))
    assert "registry_membership" in names
    assert not any(t.model.startswith("Historical") for t in rows)
    assert all(t.key.split(" ")[0] in {"cooperative", "via", "reference"} for t in rows)


def test_the_command_prints_the_table_of_the_docs():
    out = StringIO()
    call_command("tenancy", stdout=out)
    text = out.getvalue()
    assert "| `registry_membership` | registry.Membership | cooperative |" in text
    assert f"{len(tables())} tables (" in text
