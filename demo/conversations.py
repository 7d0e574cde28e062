"""A few comment threads for the demo: athletes asking about a recent run and their coach
answering, so the activity pages, the sidebar's unread count and /notifications/ have something to
show. Written through the comment service (analytics.services.comments), so the notifications are
those a real thread makes; demo accounts have comment mail off, so nothing is mailed."""

import random
from datetime import datetime

from analytics.models import Activity, Notification
from analytics.services.comments import comment_post
from organizations.models import MemberRole, Membership

THREADS = (
    ("Legs felt heavy over the last 3 km. Should I keep tomorrow easy?", "Yes: easy and short tomorrow, then we see."),
    ("Held the pace on the hills today, first time this block!", "Great sign. Same effort next week, not faster."),
    ("Left calf tight after this one. Nothing sharp, just tight.", "Skip the strides this week and tell me Friday."),
    ("Ran it with the group, probably a bit quicker than planned.", "Fine once; keep the easy days truly easy."),
    ("Watch lost GPS for a kilometre, the distance is a bit short.", None),
    ("Is this the kind of effort you want for the long runs?", None),
)


def create_threads(rng: random.Random, users: list, staff, now: datetime) -> int:
    """For up to len(THREADS) athletes (drawn by `rng`) with a run: a comment on their latest run,
    and their coach's reply for all but the last threads (those stay unread for the coach). The
    coach who answers is the athlete's assigned coach, else the organization's head coach.
    Notifications of answered comments are marked read. Returns the number of comments."""
    candidates = rng.sample(users, min(len(users), 3 * len(THREADS)))
    assigned = dict(
        Membership.objects.filter(user__in=candidates, role=MemberRole.ATHLETE, active=True)
        .exclude(assigned_coach=None)
        .values_list("user_id", "assigned_coach")
    )
    coaches = {coach.pk: coach for coach in (staff.coach, staff.coach2)}
    comments, threads = 0, iter(THREADS)
    for athlete in candidates:
        run = Activity.objects.filter(user=athlete, sport="run").order_by("-start_time").first()
        thread = next(threads, None) if run else None
        if run is None:
            continue
        if thread is None:
            break
        question, answer = thread
        asked = comment_post(author=athlete, activity=run, text=question)
        comments += 1
        if answer:
            coach = coaches.get(assigned.get(athlete.pk), staff.coach)
            comment_post(author=coach, activity=run, text=answer)
            Notification.objects.filter(comment=asked).update(read_at=now)
            comments += 1
    return comments
