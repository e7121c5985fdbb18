"""``{{ exposure|datalink_url }}``, ``{{ measurement|datalink_url }}``: the DataLink address of
what a page shows, for the exposure and measurement pages. A filter of the vo app, so that the
pages of the apps below it need not build the VO's identifiers themselves."""

from django import template

from jmdc.models import Measurement
from obsportal.models import Exposure
from vo.identifiers import exposure_did, links_path, measurement_did

register = template.Library()


@register.filter
def datalink_url(thing: Exposure | Measurement) -> str:
    if isinstance(thing, Exposure):
        return links_path(exposure_did(thing.exp_id))
    if isinstance(thing, Measurement):
        return links_path(measurement_did(thing.pk))
    raise TypeError(f"DataLink knows exposures and measurements, not {type(thing).__name__}")
