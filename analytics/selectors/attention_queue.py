"""The triage queue ("Needs attention"): the open attention flags of an organization's athletes
that the viewing coach has not set aside — GET analytics/attention_queue, the /attention/ page
and the coaches' digest mail read it here.

Who is in it: the organization's active athlete members, the roster's rule (a coach sees an
athlete only once the athlete accepted, and while the membership lasts). Their stale snapshots
are rebuilt first (which keeps the flag rows in step), so the flags are those of today — up to
READ_REBUILD_LIMIT of them per read, the hourly refresh doing the rest.

Memory (per coach): a flag is hidden from a coach who marked it seen while it is no more severe
than it was then and its episode began at most SEEN_MEMORY after that; a rise in severity, or the
flag clearing and coming back more than 7 days after it was seen, puts it back. Filtered in SQL
(an EXISTS subquery), so the page query stays one query whatever the number of athletes.
"""

from datetime import UTC, datetime, timedelta

from django.db.models import DateTimeField, Exists, ExpressionWrapper, F, IntegerField, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest

from accounts.models import Role, User
from analytics.models.attention import AttentionFlag, AttentionFlagSeen
from analytics.selectors.stale_snapshots import stale_snapshot_athletes
from analytics.services.snapshots import athlete_snapshots_refresh
from astral.exceptions import NotAllowed, NotFound
from astral.ids import is_public_id
from astral.principals import is_api_key
from organizations import access
from organizations.models import MemberRole, Membership, Organization

SEEN_MEMORY = timedelta(days=7)
READ_REBUILD_LIMIT = 200  # stale snapshots a queue read rebuilds itself: a roster page's worth
COACH_ONLY = "Only a coach can mark attention flags seen."


def organization_athlete_ids(organization: Organization) -> QuerySet:
    """The user ids of the organization's active athlete members (the roster's rule)."""
    return Membership.objects.filter(organization=organization, role=MemberRole.ATHLETE, active=True).values("user_id")


def organization_snapshots_freshen(organization: Organization, now: datetime) -> int:
    """Rebuild (in one batch) the snapshots of the organization's athletes that are stale at `now`
    — missing, older than their data, or of another local day — up to READ_REBUILD_LIMIT, those
    whose data changed first; the number rebuilt. The rest keep their last flags until the hourly
    refresh (at most an hour, in a club large enough that a local midnight turns hundreds stale)."""
    athletes = User.objects.filter(pk__in=organization_athlete_ids(organization))
    changed_first = stale_snapshot_athletes(now, athletes).order_by(
        Coalesce("metrics_snapshot__data_version", Value(-1), output_field=IntegerField()) - F("data_version"), "pk"
    )
    stale = list(changed_first[:READ_REBUILD_LIMIT])
    if stale:
        athlete_snapshots_refresh(users=stale, now=now)
    return len(stale)


def hidden_for(coach) -> Exists:
    """True for a flag `coach` has set aside: seen at a severity at least the flag's, and the
    flag's episode began no more than SEEN_MEMORY after it was seen."""
    since_less_memory = ExpressionWrapper(OuterRef("since") - SEEN_MEMORY, output_field=DateTimeField())
    return Exists(
        AttentionFlagSeen.objects.filter(
            flag=OuterRef("pk"),
            coach=coach,
            severity_rank__gte=OuterRef("severity_rank"),
            seen_at__gte=since_less_memory,
        )
    )


def attention_queue_flags(organization: Organization, viewer) -> QuerySet:
    """The open flags of the organization's athletes not hidden for `viewer` (an API key sets
    nothing aside: it sees them all), most severe first, then the most recently raised or
    worsened, then the oldest row; each with its athlete and `changed_at` (the later of since and
    worsened_at)."""
    flags = AttentionFlag.objects.filter(closed_at__isnull=True, user_id__in=organization_athlete_ids(organization))
    if not is_api_key(viewer):
        flags = flags.filter(~hidden_for(viewer))
    return (
        flags.select_related("user")
        .annotate(changed_at=Greatest(F("since"), Coalesce(F("worsened_at"), F("since"))))
        .order_by("-severity_rank", "-changed_at", "pk")
    )


def attention_queue(organization: Organization, viewer, now: datetime | None = None) -> QuerySet:
    """attention_queue_flags once the athletes' snapshots are fresh at `now` (default: now)."""
    organization_snapshots_freshen(organization, now or datetime.now(UTC))
    return attention_queue_flags(organization, viewer)


def attention_flag_for_coach(viewer, flag_id: str) -> AttentionFlag:
    """The flag `flag_id` if `viewer` is a coach (or superuser) who may read its athlete: 403
    FORBIDDEN for an API key or an athlete; 404 FLAG_NOT_FOUND for a malformed or unknown id or a
    flag of an athlete the coach does not coach (the same answer: its existence is not told)."""
    if is_api_key(viewer) or not (viewer.is_superuser or viewer.role == Role.COACH):
        raise NotAllowed(COACH_ONLY, "FORBIDDEN")
    flag = (
        AttentionFlag.objects.select_related("user").filter(public_id=flag_id).first()
        if is_public_id(flag_id, AttentionFlag)
        else None
    )
    if flag is None or flag.user_id == viewer.pk or not access.can_read_athlete(viewer, flag.user):
        raise NotFound(f"Attention flag '{flag_id}' not found.", "FLAG_NOT_FOUND", field="flag_id")
    return flag
