"""The template tag of the site's navigation (base.html): the link of the page being shown says
so to screen readers (aria-current), as the eye sees it from the page's heading."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context, url_name: str, label: str) -> str:
    """A navigation link; aria-current="page" when it leads to the page being shown."""
    href = reverse(url_name)
    request = context.get("request")
    if request is not None and request.path == href:
        return format_html('<a href="{}" aria-current="page">{}</a>', href, label)
    return format_html('<a href="{}">{}</a>', href, label)
