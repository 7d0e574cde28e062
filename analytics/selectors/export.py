"""The data export of one user (GDPR art. 20): a zip written incrementally.

`user_export_chunks(user)` yields the bytes of the zip as it is written — zipfile on a
write-only stream (no seeking: entries carry data descriptors), rows read with
`.iterator(chunk_size=…)` and drained every EXPORT_BATCH rows — so a 10-year history never
sits in memory, whole, on the web process. Columns are documented in docs/api.md.
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterator

from django.db.models import Q

from accounts.presentation import profile_payload
from analytics.models import Activity, Comment, DailyWellness
from astral.csv_stream import csv_cell
from astral.local_time import utc_text
from organizations.models import Membership
from plans.models import PlanInstance, RaceGoal

EXPORT_BATCH = 500  # rows per database round trip and per drain of the zip stream

ACTIVITY_COLUMNS = (
    "activity_id", "sport", "start_time", "timezone", "distance", "duration", "elapsed_time",
    "elevation_gain", "avg_heart_rate", "max_heart_rate", "calories", "training_load",
    "pace_z1_time", "pace_z2_time", "pace_z3_time", "pace_z4_time", "pace_z5_time",
    "source", "external_id", "created_at",
)  # fmt: skip
WELLNESS_COLUMNS = ("date", "resting_heart_rate", "hrv", "vo2_max", "recovery_score", "sleep_hours")
COMMENT_COLUMNS = ("comment_id", "activity_id", "author_id", "author_name", "created_at", "text")


def _instant(value) -> str:
    return utc_text(value) or ""


class _Pipe(io.RawIOBase):
    """A write-only stream that keeps what was written until `drain()` takes it."""

    def __init__(self):
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def _activity_row(activity: Activity) -> list:
    row = {
        "activity_id": activity.public_id,
        "start_time": _instant(activity.start_time),
        "created_at": _instant(activity.created_at),
    }
    return [row[name] if name in row else getattr(activity, name) for name in ACTIVITY_COLUMNS]


def _comment_rows(user) -> Iterator[list]:
    """The threads on the user's activities and the user's comments elsewhere, oldest first."""
    comments = (
        Comment.objects.filter(Q(activity__user=user) | Q(author=user))
        .select_related("activity", "author")
        .order_by("created_at", "pk")
        .iterator(chunk_size=EXPORT_BATCH)
    )
    for comment in comments:
        author = comment.author
        yield [
            comment.public_id,
            comment.activity.public_id,
            author.public_id,
            csv_cell(author.name),
            _instant(comment.created_at),
            csv_cell(comment.text),
        ]


def _csv_entry(archive, pipe, name, columns, rows) -> Iterator[bytes]:
    with archive.open(name, mode="w") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
        writer = csv.writer(text)
        writer.writerow(columns)
        for count, row in enumerate(rows, start=1):
            writer.writerow(["" if value is None else value for value in row])
            if count % EXPORT_BATCH == 0:
                text.flush()
                if chunk := pipe.drain():
                    yield chunk
    if chunk := pipe.drain():
        yield chunk


def _json_entry(archive, pipe, name, value) -> Iterator[bytes]:
    archive.writestr(name, json.dumps(value, indent=2, ensure_ascii=False) + "\n")
    if chunk := pipe.drain():
        yield chunk


def export_profile(user) -> dict:
    return {
        **profile_payload(user),
        "email_verified_at": _instant(user.email_verified_at) or None,
        "date_joined": _instant(user.date_joined),
        "last_login": _instant(user.last_login) or None,
    }


def export_goals(user) -> dict:
    races = RaceGoal.objects.filter(athlete=user).order_by("race_date", "pk")
    instances = PlanInstance.objects.filter(athlete=user).select_related("plan").order_by("start_date", "pk")
    return {
        "races": [
            {
                "id": race.public_id,
                "race_name": race.race_name,
                "race_date": race.race_date.isoformat(),
                "distance": race.distance,
                "goal_time": race.goal_time,
            }
            for race in races
        ],
        "plan_instances": [
            {
                "plan_instance_id": instance.public_id,
                "plan_id": instance.plan.public_id,
                "plan_name": instance.plan.name,
                "total_weeks": instance.plan.total_weeks,
                "start_date": instance.start_date.isoformat(),
                "cancelled": instance.cancelled,
            }
            for instance in instances
        ],
    }


def export_memberships(user) -> list[dict]:
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organization", "assigned_coach")
        .prefetch_related("labels")
        .order_by("joined_at", "pk")
    )
    groups_by_org: dict[int, list[str]] = {}
    for org_id, name in user.training_groups.order_by("name").values_list("organization_id", "name"):
        groups_by_org.setdefault(org_id, []).append(name)
    return [
        {
            "org_id": m.organization.public_id,
            "organization": m.organization.name,
            "role": m.role,
            "active": m.active,
            "joined_at": _instant(m.joined_at),
            "assigned_coach": m.assigned_coach.name if m.assigned_coach else None,
            "labels": sorted(label.name for label in m.labels.all()),
            "groups": groups_by_org.get(m.organization_id, []),
        }
        for m in memberships
    ]


def user_export_chunks(user) -> Iterator[bytes]:
    """The zip: profile.json, activities.csv (oldest first), wellness.csv (by date), comments.csv
    (oldest first), goals.json, memberships.json."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        yield from _json_entry(archive, pipe, "profile.json", export_profile(user))
        activities = Activity.objects.filter(user=user).order_by("start_time", "pk").iterator(chunk_size=EXPORT_BATCH)
        yield from _csv_entry(archive, pipe, "activities.csv", ACTIVITY_COLUMNS, map(_activity_row, activities))
        wellness = (
            DailyWellness.objects.filter(user=user)
            .order_by("date")
            .values_list(*WELLNESS_COLUMNS)
            .iterator(EXPORT_BATCH)
        )
        yield from _csv_entry(archive, pipe, "wellness.csv", WELLNESS_COLUMNS, wellness)
        yield from _csv_entry(archive, pipe, "comments.csv", COMMENT_COLUMNS, _comment_rows(user))
        yield from _json_entry(archive, pipe, "goals.json", export_goals(user))
        yield from _json_entry(archive, pipe, "memberships.json", export_memberships(user))
    if chunk := pipe.drain():  # the central directory
        yield chunk


def export_filename(user) -> str:
    return f"astral-export-{user.username}.zip"
