from django.contrib import admin

from reports.models import ChannelSpend


@admin.register(ChannelSpend)
class ChannelSpendAdmin(admin.ModelAdmin):
    list_display = ["month", "channel", "amount", "currency", "updated_at"]
    list_filter = ["currency", "channel"]
    date_hierarchy = "month"
    list_select_related = ["channel"]
