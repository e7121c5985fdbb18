import datetime

from django import template

register = template.Library()


@register.filter
def cooloff_minutes(delta: datetime.timedelta | None) -> str:
    """The login cool-off as people say it: "15 minutes", "1 hour", "90 minutes"."""
    if not delta:
        return "a while"
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
