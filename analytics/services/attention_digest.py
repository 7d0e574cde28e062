"""The coaches' triage digest: an opt-in mail (MailPreferences.digest daily or weekly) listing the
attention flags of their athletes that opened or worsened since the last digest and that they
have not set aside — the queue's rules (analytics.selectors.attention_queue).

When: at 07:00 in the coach's own zone (profile time zone, else UTC) — every day, or on Mondays.
The hourly task sends each digest that is due: a subscriber's first at the run in the 07:00 local
hour; afterwards any digest whose 07:00 slot has passed since the last was sent (so a missed hourly
run sends it an hour late, not never). Nothing new → no mail, but `digest_sent_at` still moves on.

Six queries whatever the number of coaches: their preferences (with the coach), their staff
memberships, the open flags of those organizations' athletes changed in the widest window, which
organizations the flagged athletes belong to, the coaches' seen rows of those flags, and one bulk
update of `digest_sent_at`. The memory rule is applied in Python there (seen_hides), the same
rule the queue applies in SQL.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce, Greatest

from analytics.models.attention import AttentionFlag, AttentionFlagSeen
from analytics.models.conversation import DigestFrequency, MailPreferences
from analytics.selectors.attention_queue import SEEN_MEMORY
from astral.local_time import user_zone
from astral.mail import mail_send_on_commit, public_link
from organizations.models import STAFF_ROLES, MemberRole, Membership

DIGEST_LOCAL_TIME = time(7, 0)
DIGEST_PERIOD = {DigestFrequency.DAILY: timedelta(days=1), DigestFrequency.WEEKLY: timedelta(days=7)}
RUN_INTERVAL = timedelta(hours=1)  # the beat schedule's: a first digest goes out in its slot's hour


def digest_slot(frequency: str, now: datetime, zone: tzinfo) -> datetime:
    """The latest 07:00 local (daily) or Monday 07:00 local (weekly) at or before `now`, aware."""
    local = now.astimezone(zone)
    day = local.date()
    if frequency == DigestFrequency.WEEKLY:
        day -= timedelta(days=day.weekday())
    slot = datetime.combine(day, DIGEST_LOCAL_TIME, tzinfo=zone)
    if slot > local:
        slot = datetime.combine(day - DIGEST_PERIOD[frequency], DIGEST_LOCAL_TIME, tzinfo=zone)
    return slot


def digest_due(frequency: str, now: datetime, zone: tzinfo, sent_at: datetime | None) -> bool:
    """Whether a `frequency` digest is due at `now` for a coach in `zone` who last got one at
    `sent_at` (None: never)."""
    if frequency not in DIGEST_PERIOD:
        return False
    slot = digest_slot(frequency, now, zone)
    return now < slot + RUN_INTERVAL if sent_at is None else sent_at < slot


def seen_hides(flag: AttentionFlag, seen: AttentionFlagSeen | None) -> bool:
    """The queue's memory rule (attention_queue.hidden_for, in SQL there) for rows in memory."""
    return seen is not None and seen.severity_rank >= flag.severity_rank and seen.seen_at >= flag.since - SEEN_MEMORY


@dataclass
class DigestSection:
    organization_name: str
    organization_public_id: str
    flags: list


def digest_text(coach, sections: list[DigestSection]) -> tuple[str, str]:
    """(subject, plain-text body) of a coach's digest."""
    count = sum(len(section.flags) for section in sections)
    subject = f"Needs attention: {count} new flag{'s' if count != 1 else ''}"
    lines = [f"Hello {coach.name},", "", "New or worse since your last digest:"]
    for section in sections:
        lines += ["", f"{section.organization_name}"]
        for flag in section.flags:
            worse = " (worse)" if flag.worsened_at and flag.worsened_at > flag.since else ""
            lines.append(f"- {flag.user.name}: {flag.severity}{worse}, {flag.message}")
        lines.append(f"  Open the queue: {public_link('/attention/', org_id=section.organization_public_id)}")
    lines += ["", "You get this mail because you asked for a triage digest; change it in your mail settings."]
    return subject, "\n".join(lines) + "\n"


def _due_preferences(now: datetime) -> list[MailPreferences]:
    subscribed = MailPreferences.objects.filter(digest__in=list(DIGEST_PERIOD), user__is_active=True).select_related(
        "user"
    )
    return [p for p in subscribed if digest_due(p.digest, now, user_zone(p.user), p.digest_sent_at)]


@transaction.atomic
def attention_digests_send(*, now: datetime) -> int:
    """Send every digest due at `now` (an aware instant) and move their `digest_sent_at` to it;
    the number of mails queued (sent after commit)."""
    due = _due_preferences(now)
    if not due:
        return 0
    coach_ids = [p.user_id for p in due]
    staff = list(
        Membership.objects.filter(user_id__in=coach_ids, role__in=STAFF_ROLES, active=True).values_list(
            "user_id", "organization_id", "organization__name", "organization__public_id"
        )
    )
    organization_ids = {org_id for _, org_id, _, _ in staff}
    athlete_memberships = Membership.objects.filter(
        organization_id__in=organization_ids, role=MemberRole.ATHLETE, active=True
    )
    window_start = {p.user_id: p.digest_sent_at or now - DIGEST_PERIOD[p.digest] for p in due}
    flags = list(
        AttentionFlag.objects.filter(closed_at__isnull=True, user_id__in=athlete_memberships.values("user_id"))
        .annotate(changed_at=Greatest(F("since"), Coalesce(F("worsened_at"), F("since"))))
        .filter(changed_at__gt=min(window_start.values()), changed_at__lte=now)
        .select_related("user")
        .order_by("-severity_rank", "-changed_at", "pk")
    )
    athletes_by_org = defaultdict(set)
    flagged = athlete_memberships.filter(user_id__in={flag.user_id for flag in flags})
    for user_id, org_id in flagged.values_list("user_id", "organization_id"):
        athletes_by_org[org_id].add(user_id)
    seen = {
        (row.coach_id, row.flag_id): row
        for row in AttentionFlagSeen.objects.filter(coach_id__in=coach_ids, flag__in=[f.pk for f in flags])
    }
    sections_by_coach = defaultdict(list)
    for coach_id, org_id, org_name, org_public_id in sorted(staff, key=lambda row: (row[2], row[1])):
        athletes = athletes_by_org[org_id]
        listed = [
            flag
            for flag in flags
            if flag.user_id in athletes
            and flag.changed_at > window_start[coach_id]
            and not seen_hides(flag, seen.get((coach_id, flag.pk)))
        ]
        if listed:
            sections_by_coach[coach_id].append(DigestSection(org_name, org_public_id, listed))
    sent = 0
    for preferences in due:
        sections = sections_by_coach.get(preferences.user_id)
        if sections and preferences.user.email:
            subject, body = digest_text(preferences.user, sections)
            mail_send_on_commit(to=preferences.user.email, subject=subject, body=body)
            sent += 1
        preferences.digest_sent_at = now
    MailPreferences.objects.bulk_update(due, ["digest_sent_at"])
    return sent
