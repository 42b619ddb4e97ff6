"""The network's governance API (docs/networkgov.md, docs/api.md): membership and dues
(``/network/membership...``), the network's assemblies and their votes
(``/network/assemblies...``), consultations of the members (``/network/consultations...``).
Thin: parse, call the selectors and services the pages call, shape."""

import datetime

from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import conint

from core import dates
from core.money import Amount
from network.api import PUBLIC, LazyMap, PaymentOut
from network.selectors import organisation_get
from networkgov import selectors, services
from networkgov.models import AssemblyStatus, Choice, Membership, Size
from networkgov.services.assemblies import standing_label

router = Router(tags=["network governance"])
Id = conint(ge=1, le=2_147_483_647)

# --------------------------------------------------------------------------- membership


class MembershipOut(Schema):
    id: int
    organisation: int
    organisation_name: str
    year: int
    size: str
    dues: int
    paid: int
    remaining: int
    joined_on: datetime.date
    due_on: datetime.date
    paid_on: datetime.date | None


def _membership_out(m: Membership) -> dict:
    return {
        "id": m.pk,
        "organisation": m.organisation_id,
        "organisation_name": m.organisation.name,
        "year": m.year,
        "size": m.size,
        "dues": m.dues,
        "paid": m.paid,
        "remaining": m.remaining,
        "joined_on": m.joined_on,
        "due_on": m.due_on,
        "paid_on": m.paid_on,
    }


@router.get("/network/membership", response=list[MembershipOut])
@paginate(LimitOffsetPagination)
def membership_list(request):
    """The memberships of the caller's organisations (the network's administrators: all)."""
    return LazyMap(selectors.membership_list(actor=request.auth), _membership_out)


class JoinIn(Schema):
    organisation: Id
    size: str = Field(max_length=6, description=" | ".join(Size.values))
    year: conint(ge=1900, le=2100) | None = None


@router.post("/network/membership", response={201: MembershipOut})
def membership_join(request, payload: JoinIn):
    """The organisation's owner joins (or renews) for this year or the next; the dues are
    frozen from the tariff (409 ``no_tariff``, ``already_member``, ``not_approved``)."""
    data = payload.dict()
    organisation = organisation_get(actor=request.auth, pk=data.pop("organisation"))
    membership = services.membership_join(actor=request.auth, organisation=organisation, **data)
    return 201, _membership_out(membership)


class StandingOut(Schema):
    organisation: int
    organisation_name: str
    status: str
    label: str
    due_on: datetime.date | None
    lapses_on: datetime.date | None


@router.get("/network/membership/standing", response=list[StandingOut])
def standing_list(request):
    """The standing today of each approved organisation the caller acts for: ``good``,
    ``pending``, ``late``, ``lapsed`` or ``none`` (never joined)."""
    lines = []
    for org, standing in selectors.my_standings(actor=request.auth, as_of=dates.today()):
        status = standing.status if standing else "none"
        lines.append(
            {
                "organisation": org.pk,
                "organisation_name": org.name,
                "status": status,
                "label": standing_label(status),
                "due_on": standing.due_on if standing else None,
                "lapses_on": standing.lapses_on if standing else None,
            }
        )
    return lines


class MemberOut(Schema):
    id: int
    name: str
    slug: str
    country: str


@router.get("/network/membership/members", response=list[MemberOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def members_in_good_standing(request):
    """Public (no token): the approved organisations in good standing today, names only."""
    return selectors.members_in_good_standing(as_of=dates.today())


@router.get("/network/membership/{int:membership_id}", response=MembershipOut)
def membership_get(request, membership_id: Id):
    return _membership_out(selectors.membership_get(actor=request.auth, pk=membership_id))


class DuesPayIn(Schema):
    amount: Amount
    phone: str = Field(max_length=40)
    provider: str = Field(max_length=16)


@router.post("/network/membership/{int:membership_id}/payments", response={201: PaymentOut})
def dues_pay(request, membership_id: Id, payload: DuesPayIn):
    """Pay (part of) the dues by phone: answers the payment (pending; pay at
    ``checkout_url``); it counts once the provider confirms. 1 F CFA to what remains
    (400 ``out_of_range``), 409 ``overpaid`` once paid."""
    membership = selectors.membership_get(actor=request.auth, pk=membership_id)
    intent = services.dues_payment_start(
        actor=request.auth, membership=membership, **payload.dict()
    )
    return 201, intent


# --------------------------------------------------------------------------- assemblies


class ResolutionOut(Schema):
    id: int
    number: int
    title: str
    text: str


class AssemblyOut(Schema):
    id: int
    title: str
    kind: str
    held_on: datetime.date
    notice_sent_on: datetime.date
    place: str
    agenda: str
    quorum_required: str
    majority_required: str
    status: str
    voting_open: bool
    resolutions: list[ResolutionOut]


def _assembly_out(assembly) -> dict:
    return {
        "id": assembly.pk,
        "title": assembly.title,
        "kind": assembly.kind,
        "held_on": assembly.held_on,
        "notice_sent_on": assembly.notice_sent_on,
        "place": assembly.place,
        "agenda": assembly.agenda,
        "quorum_required": assembly.quorum_required,
        "majority_required": assembly.majority_required,
        "status": assembly.status,
        "voting_open": selectors.assembly_voting_open(assembly, on=dates.today()),
        "resolutions": [
            {"id": r.pk, "number": r.number, "title": r.title, "text": r.text}
            for r in assembly.resolutions.all()
        ],
    }


@router.get("/network/assemblies", response=list[AssemblyOut])
@paginate(LimitOffsetPagination)
def assembly_list(request):
    """The member organisations' accounts and the administrators (others 403)."""
    qs = selectors.assembly_list(actor=request.auth).prefetch_related("resolutions")
    return LazyMap(qs, _assembly_out)


@router.get("/network/assemblies/{int:assembly_id}", response=AssemblyOut)
def assembly_get(request, assembly_id: Id):
    return _assembly_out(selectors.assembly_get(actor=request.auth, pk=assembly_id))


class ResolutionResultOut(Schema):
    id: int
    number: int
    title: str
    votes_for: int
    votes_against: int
    abstentions: int
    passed: bool


class ResultsOut(Schema):
    members: int
    voters: int
    quorum: str
    majority: str
    quorum_reached: bool
    closed: bool
    resolutions: list[ResolutionResultOut]
    my_votes: dict[int, dict[int, str]]


@router.get("/network/assemblies/{int:assembly_id}/results", response=ResultsOut)
def assembly_results(request, assembly_id: Id):
    """Members in good standing on the day, organisations that voted, quorum, and each
    resolution's counts and outcome (live until closed, then frozen); ``my_votes``:
    ``{organisation: {resolution: choice}}`` for the caller's organisations."""
    assembly = selectors.assembly_get(actor=request.auth, pk=assembly_id)
    results = selectors.assembly_results(assembly)
    return {
        "members": results.members,
        "voters": results.voters,
        "quorum": results.quorum,
        "majority": results.majority,
        "quorum_reached": results.quorum_reached,
        "closed": assembly.status == AssemblyStatus.CLOSED,
        "resolutions": [
            {
                "id": line.resolution.pk,
                "number": line.resolution.number,
                "title": line.resolution.title,
                "votes_for": line.votes_for,
                "votes_against": line.votes_against,
                "abstentions": line.abstentions,
                "passed": line.passed,
            }
            for line in results.resolutions
        ],
        "my_votes": selectors.my_votes(actor=request.auth, assembly=assembly),
    }


class VoteIn(Schema):
    organisation: Id
    choice: str = Field(max_length=8, description=" | ".join(Choice.values))


class VoteOut(Schema):
    id: int
    resolution: int
    organisation: int
    choice: str
    cast_at: datetime.datetime


@router.post(
    "/network/assemblies/{int:assembly_id}/resolutions/{int:resolution_id}/votes",
    response={201: VoteOut},
)
def vote_cast(request, assembly_id: Id, resolution_id: Id, payload: VoteIn):
    """One vote per member organisation in good standing and resolution, cast by its owner
    or delegate from the assembly's day until it is closed: 409 ``already_voted``,
    ``not_in_good_standing``, ``not_open``, ``already_closed``; 403 for another's
    organisation."""
    resolution = selectors.resolution_get(
        actor=request.auth, pk=resolution_id, assembly_id=assembly_id
    )
    organisation = organisation_get(actor=request.auth, pk=payload.organisation)
    vote = services.vote_cast(
        actor=request.auth, resolution=resolution, organisation=organisation, choice=payload.choice
    )
    return 201, {
        "id": vote.pk,
        "resolution": vote.resolution_id,
        "organisation": vote.organisation_id,
        "choice": vote.choice,
        "cast_at": vote.cast_at,
    }


# --------------------------------------------------------------------------- consultations


class ConsultationOut(Schema):
    id: int
    title: str
    question: str
    project: int | None
    options: list[str]
    allow_comments: bool
    anonymous_comments: bool
    opens_on: datetime.date
    closes_on: datetime.date
    is_open: bool


def _consultation_out(c) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "question": c.question,
        "project": c.project_id,
        "options": list(c.options),
        "allow_comments": c.allow_comments,
        "anonymous_comments": c.anonymous_comments,
        "opens_on": c.opens_on,
        "closes_on": c.closes_on,
        "is_open": selectors.consultation_is_open(c, dates.today()),
    }


@router.get("/network/consultations", response=list[ConsultationOut])
@paginate(LimitOffsetPagination)
def consultation_list(request):
    """The member organisations' accounts and the administrators (others 403)."""
    return LazyMap(selectors.consultation_list(actor=request.auth), _consultation_out)


@router.get("/network/consultations/{int:consultation_id}", response=ConsultationOut)
def consultation_get(request, consultation_id: Id):
    return _consultation_out(selectors.consultation_get(actor=request.auth, pk=consultation_id))


class AnswerIn(Schema):
    organisation: Id
    option: str = Field("", max_length=200)
    comment: str = Field("", max_length=2000)


class AnswerOut(Schema):
    id: int
    consultation: int
    organisation: int
    option: str
    comment: str
    answered_at: datetime.datetime


@router.post("/network/consultations/{int:consultation_id}/answers", response={201: AnswerOut})
def consultation_answer(request, consultation_id: Id, payload: AnswerIn):
    """Once per member organisation in good standing, while open: 409
    ``already_answered``, ``not_open``, ``not_in_good_standing``; 400 ``invalid_choice``."""
    consultation = selectors.consultation_get(actor=request.auth, pk=consultation_id)
    data = payload.dict()
    organisation = organisation_get(actor=request.auth, pk=data.pop("organisation"))
    answer = services.consultation_answer(
        actor=request.auth, consultation=consultation, organisation=organisation, **data
    )
    return 201, {
        "id": answer.pk,
        "consultation": answer.consultation_id,
        "organisation": answer.organisation_id,
        "option": answer.option,
        "comment": answer.comment,
        "answered_at": answer.answered_at,
    }


class OptionCount(Schema):
    option: str
    count: int


class CommentOut(Schema):
    organisation: str  # "" when the comments are published without names
    comment: str


class ConsultationResultsOut(Schema):
    answers: int
    counts: list[OptionCount]
    comments: list[CommentOut]


@router.get("/network/consultations/{int:consultation_id}/results", response=ConsultationResultsOut)
def consultation_results(request, consultation_id: Id):
    """Published once the consultation has closed (before: 409 ``not_closed``)."""
    consultation = selectors.consultation_get(actor=request.auth, pk=consultation_id)
    results = selectors.consultation_results_published(consultation, on=dates.today())
    return {
        "answers": results.answers,
        "counts": [{"option": o, "count": n} for o, n in results.counts],
        "comments": [{"organisation": name, "comment": c} for name, c in results.comments],
    }
