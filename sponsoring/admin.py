from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sponsoring.models import Booking, DailyCount, Tariff


@admin.register(Booking)
class BookingAdmin(SimpleHistoryAdmin):
    list_display = ("title", "advertiser", "format", "starts_on", "ends_on", "price", "status")
    list_filter = ("status", "format")
    exclude = ("image",)
    readonly_fields = ("intent", "refund", "paid_at", "moderated_by", "moderated_at")


@admin.register(Tariff)
class TariffAdmin(SimpleHistoryAdmin):
    list_display = ("placement", "price_per_day", "price_per_day_all")


@admin.register(DailyCount)
class DailyCountAdmin(admin.ModelAdmin):
    list_display = ("booking", "day", "impressions", "clicks")
