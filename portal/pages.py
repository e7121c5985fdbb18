"""Pages that compose several apps: the star page shows the catalogue's measurements of a star
and the exposures taken of it. The catalogue keeps the address and its name (``jmdc:star``,
Star.get_absolute_url); the project supplies the view (portal/urls.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from jmdc import charts, outside_links
from jmdc.exports import star_adql
from jmdc.formats.registry import FORMATS
from jmdc.models import Measurement, Star
from jmdc.predictions import prediction_among
from jmdc.star_identity import identity_card, shown_identity
from jmdc.tables import star_rows_html
from lib.table_links import SAMP_POLICY, table_link
from obsportal.charts import star_exposure_charts
from obsportal.models import Exposure

STAR_PAGE_EXPOSURES = 50  # the newest; the search page has them all

# Each export format's view and how the page names it, in the order the page offers them.
EXPORTS = (
    ("csv", "jmdc:export_csv", "CSV"),
    ("xlsx", "jmdc:export_xlsx", "Excel"),
    ("votable", "jmdc:export_votable", "VOTable"),
    ("json", "jmdc:export_json", "JSON"),
    ("vizier", "jmdc:export_vizier", "VizieR jmdc.dat"),
)


def star_exports(star: Star) -> list[dict[str, str]]:
    """The catalogue's export of this star's rows, in every format, and the same selection in
    the catalogue table (the one FilterSet's ``star`` filter: exactly this star's rows)."""
    query = urlencode({"star": star.pk})
    return [
        {"label": label, "url": f"{reverse(view)}?{query}", "filename": FORMATS[name].filename}
        for name, view, label in EXPORTS
    ]


@csp_update(SAMP_POLICY)  # the Send menu's SAMP hub
def star_detail(request: HttpRequest, pk: int) -> HttpResponse:
    star = get_object_or_404(Star.objects.visible_to(request.user), pk=pk)
    measurements = list(
        Measurement.objects.visible_to(request.user).filter(star=star).in_export_order()
    )
    exposures = Exposure.objects.visible_to(request.user).filter(star=star)
    # What the sources say of a star is visible with the star (SourceFacts.visible_to's rule),
    # and this star was just fetched through Star.visible_to: asking the rule again in SQL
    # would only nest the same check (~1.5 ms of query building a page). By source, as the
    # model orders them: its order by star would join the star table for one star.
    source_facts = list(star.source_facts.order_by("source"))
    prediction = prediction_among(source_facts)
    card = identity_card(star, source_facts, star.aliases.values_list("name", flat=True))
    id1 = measurements[0].id1 if measurements else star.name
    links = [
        outside_links.simbad(main_id=card.main_id, name=star.name, ra=card.ra, dec=card.dec),
        outside_links.vizier_jmdc(id1),
    ]
    if card.ra is not None and card.dec is not None:
        links += [
            outside_links.vizier_jsdc(card.ra, card.dec),
            outside_links.aladin(card.ra, card.dec),
        ]
    links.append(
        outside_links.eso_archive(ra=card.ra, dec=card.dec, name=card.main_id or star.name)
    )
    wavelength_chart, year_chart = charts.star_charts_json(measurements, prediction)
    exposure_charts = star_exposure_charts(exposures)
    context = {
        "star": star,
        "identity": shown_identity(star, source_facts),
        "card": card,
        "links": links,
        "bibcodes": sorted({m.bibcode for m in measurements}),
        "source_facts": source_facts,
        "measurements": measurements,
        "measurement_rows": star_rows_html(measurements),
        "prediction": prediction,
        "wavelength_chart": wavelength_chart,
        "year_chart": year_chart,
        "unplaced": [m for m in measurements if not charts.placed_at_a_wavelength(m)],
        "exports": star_exports(star),
        "catalogue_selection": f"{reverse('jmdc:catalogue')}?{urlencode({'star': star.pk})}",
        # The charts counted the star's exposures already (a query a page less).
        "exposure_count": exposure_charts["count"],
        "exposures": exposures.order_by("-mjd_start")[:STAR_PAGE_EXPOSURES],
        "exposure_charts": exposure_charts,
        "samp": table_link(
            request,
            f"{reverse('jmdc:export_votable')}?{urlencode({'star': star.pk})}",
            name=f"JMDC {star.name}",
            # The rows are loaded already: no query to ask whether one is embargoed.
            private=any(m.is_embargoed for m in measurements),
            adql=star_adql(star.pk),
            ra=card.ra,
            dec=card.dec,
        ),
    }
    return render(request, "portal/star_detail.html", context)
