"""Comments on an activity (GET/POST activities/{activity_id}/comments) and the caller's
notifications (GET notifications, POST notifications/read, GET/PUT notifications/settings).
Parse → access → selector or service → envelope."""

from datetime import UTC, datetime

from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from analytics.api.conversation_serializers import (
    CommentInputSerializer,
    CommentSerializer,
    NotificationListSerializer,
    NotificationSettingsSerializer,
    NotificationsReadInputSerializer,
    UnreadSerializer,
)
from analytics.conversation_payloads import comment_payload, mail_preferences_payload, notification_payload
from analytics.selectors.comments import activity_comments, thread_activity
from analytics.selectors.notifications import mail_preferences_of, unread_notification_count, user_notifications
from analytics.services.comments import comment_post
from analytics.services.notifications import mail_preferences_update, notifications_mark_read
from astral.api.auth import IsPerson
from astral.api.envelope import ok
from astral.api.hostile_input import StrictJSONParser
from astral.api.schema import envelope, errors, page_parameters, paginated_envelope
from astral.exceptions import NotAllowed
from astral.paging import page_params, paginate

COMMENT_TAGS = ["comments"]
NOTIFICATION_TAGS = ["notifications"]


class ActivityCommentsView(APIView):
    parser_classes = [StrictJSONParser]  # a comment's text must be a JSON string

    @extend_schema(
        tags=COMMENT_TAGS,
        operation_id="activity_comments_list",
        summary="The activity's comment thread, oldest first",
        parameters=page_parameters(),
        responses={
            200: paginated_envelope("CommentListResponse", CommentSerializer(many=True)),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request, activity_id: str):
        activity = thread_activity(request.user, activity_id)
        page, per_page = page_params(request.query_params)
        rows, pagination = paginate(activity_comments(activity), page, per_page)
        return ok([comment_payload(row) for row in rows], meta={"pagination": pagination})

    @extend_schema(
        tags=COMMENT_TAGS,
        operation_id="activity_comments_create",
        summary="Comment on the activity; notifies the other side",
        request=CommentInputSerializer,
        responses={201: envelope("CommentCreated", CommentSerializer()), **errors(400, 401, 403, 404)},
    )
    def post(self, request, activity_id: str):
        if not IsPerson().has_permission(request, self):
            raise NotAllowed(IsPerson.message, "FORBIDDEN")
        activity = thread_activity(request.user, activity_id)
        data = CommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = comment_post(author=request.user, activity=activity, text=data.validated_data["text"])
        return ok(comment_payload(comment), status=201)


class NotificationsView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=NOTIFICATION_TAGS,
        operation_id="notifications_list",
        summary="The caller's notifications, newest first, and how many are unread",
        parameters=page_parameters(),
        responses={
            200: paginated_envelope("NotificationListResponse", NotificationListSerializer()),
            **errors(400, 401, 403),
        },
    )
    def get(self, request):
        page, per_page = page_params(request.query_params)
        rows, pagination = paginate(user_notifications(request.user), page, per_page)
        data = {
            "unread": unread_notification_count(request.user),
            "items": [notification_payload(row) for row in rows],
        }
        return ok(data, meta={"pagination": pagination})


class NotificationsReadView(APIView):
    permission_classes = [IsPerson]
    parser_classes = [StrictJSONParser]

    @extend_schema(
        tags=NOTIFICATION_TAGS,
        operation_id="notifications_read",
        summary="Mark the given notifications read (all of them without notification_ids)",
        request=NotificationsReadInputSerializer,
        responses={200: envelope("NotificationsRead", UnreadSerializer()), **errors(400, 401, 403)},
    )
    def post(self, request):
        data = NotificationsReadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notifications_mark_read(
            user=request.user, notification_ids=data.validated_data.get("notification_ids"), now=datetime.now(UTC)
        )
        return ok({"unread": unread_notification_count(request.user)})


class NotificationSettingsView(APIView):
    permission_classes = [IsPerson]
    parser_classes = [StrictJSONParser]

    @extend_schema(
        tags=NOTIFICATION_TAGS,
        operation_id="notification_settings_read",
        summary="The caller's mail preferences",
        responses={200: envelope("NotificationSettings", NotificationSettingsSerializer()), **errors(401, 403)},
    )
    def get(self, request):
        return ok(mail_preferences_payload(mail_preferences_of(request.user)))

    @extend_schema(
        tags=NOTIFICATION_TAGS,
        operation_id="notification_settings_update",
        summary="Set comment mail and the attention digest (a field left out keeps its value)",
        request=NotificationSettingsSerializer,
        responses={
            200: envelope("NotificationSettingsUpdated", NotificationSettingsSerializer()),
            **errors(400, 401, 403),
        },
    )
    def put(self, request):
        data = NotificationSettingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preferences = mail_preferences_update(
            user=request.user,
            comment_mail=data.validated_data.get("comment_mail"),
            digest=data.validated_data.get("attention_digest"),
        )
        return ok(mail_preferences_payload(preferences))
