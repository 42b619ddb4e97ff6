import factory

from capital.models import Statutes
from capital.services import (
    share_operation_approve,
    share_operation_execute,
    share_operation_request,
)


class StatutesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statutes
        django_get_or_create = ["cooperative"]

    share_value = 5000


def done_operation(*, actor, **kwargs):
    """Request, approve and carry out a share operation through the services."""
    op = share_operation_request(actor=actor, **kwargs)
    share_operation_approve(operation=op, actor=actor)
    return share_operation_execute(operation=op, actor=actor)
