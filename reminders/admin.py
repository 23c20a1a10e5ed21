"""Reminders for staff: who asked for one, and every mail with its state (failures first)."""

from django.contrib import admin, messages
from django.utils import timezone

from .models import Reminder, ReminderSend


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["member", "months", "due_on", "state", "updated_at"]
    list_filter = ["state", "months"]
    search_fields = ["member__username", "member__email"]
    date_hierarchy = "due_on"
    readonly_fields = ["member", "created_at", "updated_at", "stopped_at"]


@admin.register(ReminderSend)
class ReminderSendAdmin(admin.ModelAdmin):
    list_display = [
        "reminder__member",
        "due_on",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["state", "due_on"]
    search_fields = ["reminder__member__username", "reminder__member__email"]
    list_select_related = ["reminder__member"]
    actions = ["try_again"]
    readonly_fields = [
        "reminder",
        "due_on",
        "state",
        "attempts",
        "queued_at",
        "claimed_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Try the selected failed mails again at the next scheduler run")
    def try_again(self, request, queryset):
        count = queryset.filter(state=ReminderSend.State.FAILED).update(
            state=ReminderSend.State.RETRY, attempts=0, next_attempt_at=timezone.now()
        )
        messages.success(request, f"{count} mail(s) will be tried again.")
