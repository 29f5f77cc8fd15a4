from django.contrib import admin

from reports.models import ChannelSpend, ExchangeRate


@admin.register(ChannelSpend)
class ChannelSpendAdmin(admin.ModelAdmin):
    list_display = ["month", "channel", "amount", "currency", "updated_at"]
    list_filter = ["currency", "channel"]
    date_hierarchy = "month"
    list_select_related = ["channel"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "into", "rate", "updated_by", "updated_at"]
    list_filter = ["into"]
    list_select_related = ["updated_by"]
