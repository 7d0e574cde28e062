"""Organizations, their invitations and members (with roles, coaches and labels), groups and API keys."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from astral.ids import PublicIdField


class Organization(models.Model):
    public_id = PublicIdField(prefix="org")
    name = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped whenever any member's data changes: the generation of cached rosters/dashboards.
    data_version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    ATHLETE = "athlete", "Athlete"
    COACH = "coach", "Coach"
    ADMIN = "admin", "Admin"


STAFF_ROLES = (MemberRole.COACH, MemberRole.ADMIN)


class Label(models.Model):
    public_id = PublicIdField(prefix="lbl")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(max_length=64)
    color = models.CharField(max_length=16, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="label_org_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=MemberRole.choices, default=MemberRole.ATHLETE)
    active = models.BooleanField(default=True)
    assigned_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_memberships",
    )
    labels = models.ManyToManyField(Label, blank=True, related_name="memberships")
    joined_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the member left (or was removed); the row stays as history, access ends with `active`.
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="membership_org_user")]
        indexes = [
            models.Index(fields=["organization", "role", "active"]),
            models.Index(fields=["user", "active"]),
            models.Index(fields=["assigned_coach", "organization"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


INVITATION_TTL = timedelta(days=7)
INVITATION_TOKEN_PREFIX = "asti_"  # the mailed link's one-time secret


class Invitation(models.Model):
    """An offer to join an organization. The membership exists only once the invitee accepts.

    `invitee` is the account the invitation is for when the inviter named one (`user_id`,
    `username`); an invitation by email stays bound to the address until someone who holds the
    mailed link (`token_hash`, SHA-256 of the one-time secret) or owns the verified address
    accepts it. A pending invitation past `expires_at` reads as expired (`effective_status`).
    """

    public_id = PublicIdField(prefix="inv")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=16, choices=MemberRole.choices, default=MemberRole.ATHLETE)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.PENDING)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    # The account that accepted or declined (for an email invitation, whoever held the link).
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            # One open invitation per person and organization: inviting again renews it.
            models.UniqueConstraint(
                fields=["organization", "invitee"],
                condition=models.Q(status="pending", invitee__isnull=False),
                name="invitation_pending_invitee",
            ),
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=models.Q(status="pending", invitee__isnull=True),
                name="invitation_pending_email",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "created_at"]),
            models.Index(fields=["invitee", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.email or self.invitee} → {self.organization} ({self.role}, {self.effective_status})"

    @property
    def effective_status(self) -> str:
        if self.status == InvitationStatus.PENDING and self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return self.status


class Group(models.Model):
    public_id = PublicIdField(prefix="grp")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="GroupMembership", related_name="training_groups"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="group_org_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="group_memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="group_membership_unique")]
        indexes = [models.Index(fields=["user", "group"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.group}"


class ApiKey(models.Model):
    """An organization's integration key (`X-API-Key`): read access to that organization only.

    Only the SHA-256 of the key is stored; the key itself is returned once, at creation.
    """

    public_id = PublicIdField(prefix="key")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=120)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
