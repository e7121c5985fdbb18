"""The catalogue core: stars, published measurements, and the legacy imports they came from.

A Measurement holds the 12 JMDC columns with their exact meaning (see the VizieR ReadMe of
II/345): nullable diameters and error, METHOD 1..3, BANDCODE 1..12, BAND free text. There is no
natural key (time series repeat star + bibcode + band with the same values), so rows have a
surrogate key and duplicate detection can only warn.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lib.designations import key

# The column table lives apart so that it imports without Django; curation reads these names
# from here too.
from .columns import CATALOGUE_COLUMNS, CATALOGUE_FIELDS, COLUMN_NAME  # noqa: F401


class Method(models.IntegerChoices):
    OPTICAL_INTERFEROMETRY = 1, "optical interferometry"
    LUNAR_OCCULTATION = 2, "lunar occultation"
    INTENSITY_INTERFEROMETRY = 3, "intensity interferometry"


class BandCode(models.IntegerChoices):
    U = 1, "U"
    B = 2, "B"
    V = 3, "V"
    R = 4, "R"
    I = 5, "I"  # noqa: E741 - the photometric band is called I
    J = 6, "J"
    H = 7, "H"
    K = 8, "K"
    L = 9, "L"
    M = 10, "M"
    N = 11, "N"
    Q = 12, "Q"


# The choices of each code column of the column table (``Kind.CODE``), for the forms and the API.
CODE_CHOICES = {"method": Method.choices, "bandcode": BandCode.choices}


# What else reveals a star: apps that link rows of theirs to stars (obsportal: exposures of
# the star) register here, in their AppConfig.ready(), a function of the user giving the ids of
# the stars those rows show them. The catalogue names no such app; a star known only from
# another app's hidden row stays hidden because that app's function leaves it out.
STAR_SIGHTINGS: list[Callable[[Any], models.QuerySet]] = []


def reveal_stars_through(sighting: Callable[[Any], models.QuerySet]) -> None:
    """Register ``sighting(user)``, a queryset of the rows (with a ``star_id``) through which
    the user may see their stars (``Star.visible_to`` asks whether one exists for a star).
    Registering twice keeps one."""
    if sighting not in STAR_SIGHTINGS:
        STAR_SIGHTINGS.append(sighting)


class StarQuerySet(models.QuerySet):
    def visible_to(self, user) -> StarQuerySet:
        """Stars with at least one measurement the user may see, or one row of another app
        that reveals it to them (STAR_SIGHTINGS: an exposure): a star known only from an
        embargoed result must not reveal that a group is observing it."""
        # EXISTS, a probe of each candidate star's rows by their star index, not IN: an OR of
        # IN subqueries is hashed whole, every visible measurement and exposure for each star
        # page (15 ms at 100,000 measurements, and growing with the archive).
        seen = Q(Exists(Measurement.objects.visible_to(user).filter(star_id=OuterRef("pk"))))
        for sighting in STAR_SIGHTINGS:
            seen |= Q(Exists(sighting(user).filter(star_id=OuterRef("pk"))))
        return self.filter(seen)

    def due_for_resolution(self) -> StarQuerySet:
        """Stars SIMBAD has not settled yet whose next attempt is due."""
        now = timezone.now()
        return self.filter(status__in=[Star.Status.PENDING, Star.Status.ERROR]).filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )

    def named(self, names) -> dict[str, Star]:
        """The known star of each name: by its canonical designation first (``HD 10700``,
        ``HD10700`` and ``hd  10700`` are one star, without SIMBAD), else by its text; the
        star's own name or designation, or an alias met when stars were merged."""
        names = sorted({name.strip() for name in names if name and name.strip()})
        found: dict[str, Star] = {}
        for start in range(0, len(names), 500):
            chunk = names[start : start + 500]
            keys = {name: designation_of(name) for name in chunk}
            wanted = {k for k in keys.values() if k}
            by_name: dict[str, Star] = {}
            by_key: dict[str, Star] = {}
            for star in self.filter(Q(name__in=chunk) | Q(designation__in=wanted)):
                by_name[star.name] = star
                if star.designation:
                    by_key[star.designation] = star
            aliases = StarAlias.objects.filter(Q(name__in=chunk) | Q(designation__in=wanted))
            for alias in aliases.select_related("star"):
                by_name.setdefault(alias.name, alias.star)
                if alias.designation:
                    by_key.setdefault(alias.designation, alias.star)
            for name in chunk:
                star = by_key.get(keys[name]) if keys[name] else None
                star = star or by_name.get(name)
                if star is not None:
                    found[name] = star
        return found

    def for_names(self, names) -> dict[str, Star]:
        """The star of each name (see ``named``), creating a pending star for a name never
        seen: one star for the spellings of one designation (named by the first of them)."""
        names = sorted({name.strip() for name in names if name and name.strip()})
        found = self.named(names)
        missing = [name for name in names if name not in found]
        if missing:
            new: dict[str, Star] = {}
            for name in missing:
                star = Star(name=name, designation=designation_of(name))
                new.setdefault(star.designation or f"name:{name}", star)
            # ignore_conflicts: a star another request created meanwhile under this name or
            # designation is the one ``named`` then finds.
            self.bulk_create(new.values(), batch_size=500, ignore_conflicts=True)
            found.update(self.named(missing))
        return found


def designation_of(name: str) -> str:
    """What ``Star.designation`` holds for a name: its canonical designation
    (``lib.designations.key``), or "" when it has none or none that fits the column."""
    found = key(name) or ""
    return found if len(found) <= DESIGNATION_LENGTH else ""


DESIGNATION_LENGTH = 100


class Star(models.Model):
    """One object of the sky, as SIMBAD identifies it.

    ``name`` is the identifier the catalogue knew the star by when the row was created (the
    JMDC ID1); the SIMBAD fields stay empty while ``status`` is pending.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        RESOLVED = "resolved", "resolved"
        NOT_FOUND = "not_found", "not found in SIMBAD"
        AMBIGUOUS = "ambiguous", "ambiguous in SIMBAD"
        ERROR = "error", "SIMBAD error"

    name = models.CharField(max_length=100, unique=True)
    # The canonical designation of ``name`` (lib.designations: "HD 10700" for HD10700), what
    # names are matched on before SIMBAD has said anything; empty for a name without a known
    # catalogue form (Vega), which is matched by its text. Kept in step with ``name`` by save().
    designation = models.CharField(
        "canonical designation",
        max_length=DESIGNATION_LENGTH,
        blank=True,
        db_index=True,
        help_text="The name's catalogue designation written one way (HD 10700 for HD10700); "
        "empty when the name has none (Vega).",
    )
    main_id = models.CharField("SIMBAD main identifier", max_length=100, blank=True)
    ra = models.FloatField("RA (ICRS, deg)", null=True, blank=True)
    dec = models.FloatField("Dec (ICRS, deg)", null=True, blank=True)
    otype = models.CharField("object type", max_length=32, blank=True)
    sp_type = models.CharField("spectral type", max_length=64, blank=True)
    hd = models.CharField("HD identifier", max_length=32, blank=True)
    hip = models.CharField("HIP identifier", max_length=32, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    simbad_id1 = models.CharField(
        "ID1 from SIMBAD", max_length=100, blank=True, help_text="HD, else HIP, else main id."
    )
    identifiers = models.TextField("SIMBAD identifiers", blank=True, help_text="Separated by |.")
    candidates = models.JSONField(
        default=list, blank=True, help_text="The objects SIMBAD offered for an ambiguous name."
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Where the work stands, so that every page says the same (``identification``): a task
    # was queued for it; a worker is asking SIMBAD now; a curator named it by hand.
    queued_at = models.DateTimeField(null=True, blank=True)
    asking_since = models.DateTimeField(null=True, blank=True)
    identified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The curator who named the object by hand.",
    )

    objects = StarQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="star_name_not_empty"),
            # Two stars with one designation are one star told twice (HD 10700, HD10700).
            models.UniqueConstraint(
                fields=["designation"],
                condition=~Q(designation=""),
                name="one_star_per_designation",
            ),
            models.CheckConstraint(
                condition=Q(ra__isnull=True) | Q(ra__gte=0, ra__lt=360), name="star_ra_range"
            ),
            models.CheckConstraint(
                condition=Q(dec__isnull=True) | Q(dec__gte=-90, dec__lte=90),
                name="star_dec_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.designation = designation_of(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "designation"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("jmdc:star", args=[self.pk])

    @property
    def identification(self) -> IdentificationState:
        """Where SIMBAD's identification of this star stands, in the words every page uses."""
        return IdentificationState.of(self)


@dataclass(frozen=True)
class IdentificationState:
    """One vocabulary for where a name's identification stands, shared by the submission
    page, the star page, the exposure page, /review/stars/ and /health.

    ``code`` is one of STATES (or ``queued_for_sweep``: queued with no task, for the periodic
    sweep); ``text`` is what a page shows; ``settled`` is False while the portal still works on
    it by itself (queued, asking, waiting for SIMBAD to come back)."""

    code: str
    text: str
    settled: bool

    STATES = {
        "queued": "queued: SIMBAD will be asked in a moment",
        "asking": "asking SIMBAD",
        "unreachable": "SIMBAD unreachable",
        "not_found": "not found in SIMBAD",
        "ambiguous": "ambiguous in SIMBAD",
        "identified": "identified by SIMBAD",
        "by_curator": "settled by a curator",
    }
    # A worker that has been asking longer than this died mid-task: its stars are queued again
    # by the sweep.
    ASKING_AT_MOST = datetime.timedelta(minutes=10)

    @classmethod
    def of(cls, star: Star, now: datetime.datetime | None = None) -> IdentificationState:
        now = now or timezone.now()
        status = star.status
        if status == Star.Status.RESOLVED:
            if star.identified_by_id:
                return cls("by_curator", f"{cls.STATES['by_curator']} as {star.main_id}", True)
            return cls("identified", f"{cls.STATES['identified']} as {star.main_id}", True)
        # Work under way comes first: a curator's request about a name SIMBAD did not find.
        if star.asking_since and now - star.asking_since < cls.ASKING_AT_MOST:
            return cls("asking", cls.STATES["asking"], False)
        if star.queued_at and status != Star.Status.ERROR:
            return cls("queued", cls.STATES["queued"], False)
        if status == Star.Status.NOT_FOUND:
            return cls("not_found", cls.STATES["not_found"], True)
        if status == Star.Status.AMBIGUOUS:
            count = len(star.candidates or [])
            return cls("ambiguous", f"{cls.STATES['ambiguous']}: {count} candidates", True)
        if status == Star.Status.ERROR:
            lines = (star.last_error or "").strip().splitlines()
            reason = lines[0][:160] if lines else ""  # resolve_stars writes it in a few words
            return cls(
                "unreachable",
                f"{cls.STATES['unreachable']}{f' ({reason})' if reason else ''}; "
                f"{cls.next_try(star.next_attempt_at, now)}",
                False,
            )
        # Pending and no task queued (the broker was down when it was submitted, or a task
        # was lost): the periodic sweep asks.
        return cls("queued_for_sweep", f"queued: {cls.next_try(None, now)}", False)

    @staticmethod
    def next_try(at: datetime.datetime | None, now: datetime.datetime) -> str:
        if at and at > now:
            return f"next try at {at:%Y-%m-%d %H:%M:%S} UTC"
        minutes = settings.SIMBAD_SWEEP_SECONDS / 60
        return f"next try at the next sweep (every {minutes:g} minutes)"


class RemoteServiceCheck(models.Model):
    """The last time a worker asked a remote service (SIMBAD, the ESO archive) whether it
    answers: what /health reports, without a request of its own leaving the portal."""

    name = models.CharField(max_length=32, primary_key=True)
    url = models.URLField(max_length=500)
    checked_at = models.DateTimeField()
    reachable = models.BooleanField()
    detail = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        seen = "reachable" if self.reachable else f"unreachable: {self.detail}"
        return f"{seen} (checked at {self.checked_at:%Y-%m-%d %H:%M:%S} UTC)"


class StarAlias(models.Model):
    """Another name of a star: kept when stars found to be one SIMBAD object are merged."""

    name = models.CharField(max_length=100, unique=True)
    # As on Star: so that ALF LYR finds the star that alf Lyr was merged into.
    designation = models.CharField(
        "canonical designation", max_length=DESIGNATION_LENGTH, blank=True, db_index=True
    )
    star = models.ForeignKey(Star, on_delete=models.CASCADE, related_name="aliases")

    def __str__(self) -> str:
        return f"{self.name} -> {self.star}"

    def save(self, *args, **kwargs):
        self.designation = designation_of(self.name)
        super().save(*args, **kwargs)


class SourceFactsQuerySet(models.QuerySet):
    def visible_to(self, user) -> SourceFactsQuerySet:
        """What the sources say of the stars the user may see (a star's facts would otherwise
        reveal a star known only from an embargoed row)."""
        return self.filter(star__in=Star.objects.visible_to(user))


class SourceFacts(models.Model):
    """What one source says of a star, as that source said it and when: JMMC's own
    cross-match of the catalogue (identities, photometry, SearchCal's predicted diameter),
    SIMBAD's answer, the JSDC's prediction (VizieR II/346). A star keeps every source's word
    side by side, so a page can say who asserts what; a source's later answer replaces its
    earlier one (one row per star and source)."""

    class Source(models.TextChoices):
        CROSSMATCH = "crossmatch", "JMMC cross-match of the catalogue"
        SIMBAD = "simbad", "SIMBAD"
        JSDC = "jsdc", "JSDC (VizieR II/346)"

    star = models.ForeignKey(Star, on_delete=models.CASCADE, related_name="source_facts")
    source = models.CharField(max_length=16, choices=Source.choices)
    reference = models.CharField(
        max_length=300, blank=True, help_text="Which file, release or query the facts come from."
    )
    as_of = models.DateField(help_text="The date the source made the assertion.")
    recorded_at = models.DateTimeField(auto_now=True)
    queried_as = models.CharField(
        "name asked for", max_length=100, blank=True, help_text="The name the source was asked."
    )
    ra = models.FloatField("RA (ICRS, deg)", null=True, blank=True)
    dec = models.FloatField("Dec (ICRS, deg)", null=True, blank=True)
    hd = models.CharField("HD", max_length=32, blank=True)
    hip = models.CharField("HIP", max_length=32, blank=True)
    two_mass = models.CharField("2MASS", max_length=32, blank=True)
    gaia = models.CharField("Gaia", max_length=48, blank=True)
    sp_type = models.CharField("spectral type", max_length=64, blank=True)
    object_types = models.CharField("object types", max_length=300, blank=True)
    v_mag = models.FloatField("V (mag)", null=True, blank=True)
    j_mag = models.FloatField("J (mag)", null=True, blank=True)
    h_mag = models.FloatField("H (mag)", null=True, blank=True)
    k_mag = models.FloatField("K (mag)", null=True, blank=True)
    teff = models.FloatField("Teff (K)", null=True, blank=True)
    ldd = models.FloatField("predicted LD diameter (mas)", null=True, blank=True)
    e_ldd = models.FloatField("error of the predicted LD diameter (mas)", null=True, blank=True)
    cal_flag = models.PositiveSmallIntegerField(
        "JMMC's confidence flags",
        null=True,
        blank=True,
        help_text="The JSDC's CalFlag bits (II/346 note 3): 1 poor photometric fit, 2 close "
        "double in WDS, 4 variable or binary by SIMBAD's types.",
    )

    objects = SourceFactsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "source facts"
        ordering = ["star", "source"]
        constraints = [
            models.UniqueConstraint(fields=["star", "source"], name="one_word_per_star_and_source"),
            models.CheckConstraint(
                condition=Q(ra__isnull=True) | Q(ra__gte=0, ra__lt=360),
                name="source_facts_ra_range",
            ),
            models.CheckConstraint(
                condition=Q(dec__isnull=True) | Q(dec__gte=-90, dec__lte=90),
                name="source_facts_dec_range",
            ),
            models.CheckConstraint(
                condition=Q(ldd__isnull=True) | Q(ldd__gt=0), name="source_facts_ldd_positive"
            ),
            models.CheckConstraint(
                condition=Q(e_ldd__isnull=True) | Q(e_ldd__gte=0),
                name="source_facts_e_ldd_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.star} according to {self.get_source_display()} ({self.as_of})"

    @property
    def identifier_list(self) -> list[str]:
        """The catalogue numbers it gives, as written (the cross-match's Gaia number does not
        say which release it is from)."""
        gaia = self.gaia if not self.gaia.isdigit() else f"Gaia {self.gaia}"
        return [ident for ident in (self.hd, self.hip, self.two_mass, gaia) if ident]

    @property
    def object_type_list(self) -> list[str]:
        return [code for code in self.object_types.split(",") if code]


class ImportRun(models.Model):
    """One run of ``import_jmdc``: which file, what it added, and the report of dubious rows."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    started_at = models.DateTimeField(default=timezone.now)
    rows_read = models.PositiveIntegerField(default=0)
    rows_added = models.PositiveIntegerField(default=0)
    rows_already_present = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    report = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


class BinaryLower(models.Func):
    """LOWER(expr) compared byte by byte.

    PostgreSQL's default collation (en_US.UTF-8) ignores punctuation when sorting, which
    would interleave the pseudo-bibcodes (``1931...............``) with real ones; the
    export contract sorts by code point, as SQLite does natively.
    """

    function = "LOWER"
    output_field = models.CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return f'({sql}) COLLATE "C"', params


class MeasurementQuerySet(models.QuerySet):
    def public(self) -> MeasurementQuerySet:
        """What anyone may see: rows without an embargo, or whose embargo has ended."""
        return self.filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=timezone.localdate())
        )

    def visible_to(self, user) -> MeasurementQuerySet:
        """The one place where access rights meet measurement queries.

        Anyone sees public rows; members of the owning group see their embargoed rows;
        curators and managers see everything.
        """
        if user is None or not user.is_authenticated:
            return self.public()
        if user.is_superuser or user.has_perm("jmdc.view_embargoed_measurement"):
            return self.all()
        embargoed_for_my_groups = Q(group__in=user.groups.all())
        return self.filter(
            Q(embargo_until__isnull=True)
            | Q(embargo_until__lte=timezone.localdate())
            | embargoed_for_my_groups
        )

    def in_export_order(self) -> MeasurementQuerySet:
        """BIBCODE descending, case-insensitively, byte order whatever the database collation."""
        return self.order_by(BinaryLower("bibcode").desc(), "pk")

    def export_values(self) -> Iterator[tuple]:
        """The 12 catalogue values of each row, in export order, fetched in chunks: what every
        export format writes (a release's frozen rows offer the same method)."""
        return self.in_export_order().values_list(*CATALOGUE_FIELDS).iterator(chunk_size=2000)


class Measurement(models.Model):
    """One published row of the JMDC: the 12 columns of the VizieR table II/345/jmdc."""

    star = models.ForeignKey(Star, on_delete=models.PROTECT, related_name="measurements")
    id1 = models.CharField("ID1", max_length=28, help_text="Normalised star name, HD preferred.")
    id2 = models.CharField(
        "ID2", max_length=28, blank=True, help_text="Name used in the publication."
    )
    ud_diam = models.FloatField("UD_DIAM (mas)", null=True, blank=True)
    ld_diam = models.FloatField("LD_DIAM (mas)", null=True, blank=True)
    e_ld_diam = models.FloatField("E_LD_DIAM (mas)", null=True, blank=True)
    band = models.CharField(
        "BAND", max_length=10, blank=True, help_text="Band letter or wavelength, free text."
    )
    mu_lambda = models.FloatField(
        "MU_LAMBDA",
        null=True,
        blank=True,
        help_text="< 1: linear limb-darkening coefficient; >= 1: the LD/UD ratio itself.",
    )
    method = models.PositiveSmallIntegerField(
        "METHOD", choices=Method.choices, null=True, blank=True
    )
    bandcode = models.PositiveSmallIntegerField(
        "BANDCODE", choices=BandCode.choices, null=True, blank=True
    )
    notes = models.CharField("NOTES", max_length=204, blank=True)
    bibcode = models.CharField("BIBCODE", max_length=19)
    sinpe = models.BooleanField(
        "SINPE", default=False, help_text="SIMBAD identifier is not precise enough."
    )

    # Provenance and access. A submission that becomes a measurement points here from curation.
    import_run = models.ForeignKey(
        ImportRun, on_delete=models.PROTECT, null=True, blank=True, related_name="measurements"
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measurements",
        help_text="Collaboration group that owns the row while it is embargoed.",
    )
    embargo_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MeasurementQuerySet.as_manager()
    # Every change of a published row: who, when, why (history_change_reason), which values.
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["pk"]
        permissions = [
            ("view_embargoed_measurement", "Can see embargoed measurements"),
            ("correct_measurement", "Can correct published measurements"),
        ]
        indexes = [
            models.Index(fields=["bibcode"]),
            models.Index(fields=["id1"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(id1=""), name="measurement_id1_not_empty"),
            models.CheckConstraint(condition=~Q(bibcode=""), name="measurement_bibcode_not_empty"),
            models.CheckConstraint(
                condition=Q(ud_diam__isnull=False) | Q(ld_diam__isnull=False),
                name="measurement_has_ud_or_ld",
            ),
            models.CheckConstraint(
                condition=Q(ud_diam__isnull=True) | Q(ud_diam__gt=0), name="measurement_ud_positive"
            ),
            models.CheckConstraint(
                condition=Q(ld_diam__isnull=True) | Q(ld_diam__gt=0), name="measurement_ld_positive"
            ),
            models.CheckConstraint(
                condition=Q(e_ld_diam__isnull=True) | Q(e_ld_diam__gte=0),
                name="measurement_error_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(mu_lambda__isnull=True) | Q(mu_lambda__gte=0),
                name="measurement_mu_lambda_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(method__isnull=True) | Q(method__gte=1, method__lte=3),
                name="measurement_method_1_to_3",
            ),
            models.CheckConstraint(
                condition=Q(bandcode__isnull=True) | Q(bandcode__gte=1, bandcode__lte=12),
                name="measurement_bandcode_1_to_12",
            ),
            models.CheckConstraint(
                condition=Q(embargo_until__isnull=True) | Q(group__isnull=False),
                name="measurement_embargo_has_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.id1} {self.bibcode}"

    def get_absolute_url(self) -> str:
        """The row's own page, with its history."""
        return reverse("jmdc:measurement", args=[self.pk])

    @property
    def is_embargoed(self) -> bool:
        return self.embargo_until is not None and self.embargo_until > timezone.localdate()


class ReleaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReleaseQuerySet:
        """Releases are public: they hold only rows that were public when cut (embargoed rows
        never enter one). Kept as the one place to change it, like the other models'."""
        return self.all()


class Release(models.Model):
    """A version of the catalogue as sent to CDS: its rows frozen when it was cut, its files
    (ReadMe, jmdc.dat, CSV, Excel, VOTable, checksums) written once and never again.

    Cut releases freeze the public measurements of the day; historical releases are the
    curators' spreadsheets of 2016-2019, imported. The changelog compares the rows with those
    of ``previous``.
    """

    class Kind(models.TextChoices):
        CUT = "cut", "cut in the portal"
        HISTORICAL = "historical", "spreadsheet version (2016-2019)"

    class Status(models.TextChoices):
        BUILDING = "building", "building its files"
        READY = "ready", "ready"
        FAILED = "failed", "build failed"

    version = models.CharField(
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                "Letters, digits, dots, dashes and underscores only (e.g. 2026.1 or v7).",
            ),
            # The ReadMe's history names every release on one 80-column line with its date
            # and row count; the historical ones are 21 characters (xls-20160831-4401862b).
            MaxLengthValidator(24),
        ],
    )
    date = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CUT)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.BUILDING)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=200, blank=True, help_text="Where the rows came from.")
    notes = models.TextField(blank=True, help_text="What this release is about.")
    row_count = models.PositiveIntegerField(default=0)
    star_count = models.PositiveIntegerField(default=0)
    changelog = models.JSONField(default=dict, blank=True)
    # The changelog's three counts, stored beside it when it is written (jmdc.releases.build):
    # the lists read them without loading every changelog (megabytes, one per release).
    # None while the release is being built, and for the first release (nothing to compare).
    added_count = models.PositiveIntegerField(null=True, blank=True, help_text="Rows added.")
    removed_count = models.PositiveIntegerField(null=True, blank=True, help_text="Rows removed.")
    changed_count = models.PositiveIntegerField(null=True, blank=True, help_text="Rows changed.")
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent of the build done.")
    stage = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    built_at = models.DateTimeField(null=True, blank=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        permissions = [("manage_releases", "Can cut and build releases (manager)")]

    def __str__(self) -> str:
        return self.version

    def get_absolute_url(self) -> str:
        return reverse("jmdc:release", args=[self.version])


class ReleaseRowQuerySet(models.QuerySet):
    def export_values(self) -> Iterator[tuple]:
        return self.order_by("position").values_list(*CATALOGUE_FIELDS).iterator(chunk_size=2000)


class ReleaseRow(models.Model):
    """One catalogue row as it was in a release: a copy of the values, not a reference, so
    later corrections of the measurement leave the release as it was sent."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField(help_text="1-based, in export order.")
    measurement = models.ForeignKey(
        Measurement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    id1 = models.CharField("ID1", max_length=28)
    id2 = models.CharField("ID2", max_length=28, blank=True)
    ud_diam = models.FloatField("UD_DIAM", null=True, blank=True)
    ld_diam = models.FloatField("LD_DIAM", null=True, blank=True)
    e_ld_diam = models.FloatField("E_LD_DIAM", null=True, blank=True)
    band = models.CharField("BAND", max_length=10, blank=True)
    mu_lambda = models.FloatField("MU_LAMBDA", null=True, blank=True)
    method = models.PositiveSmallIntegerField("METHOD", null=True, blank=True)
    bandcode = models.PositiveSmallIntegerField("BANDCODE", null=True, blank=True)
    notes = models.CharField("NOTES", max_length=204, blank=True)
    bibcode = models.CharField("BIBCODE", max_length=19)
    sinpe = models.BooleanField("SINPE", default=False)

    objects = ReleaseRowQuerySet.as_manager()

    class Meta:
        ordering = ["release", "position"]
        constraints = [
            models.UniqueConstraint(fields=["release", "position"], name="release_row_position")
        ]

    def __str__(self) -> str:
        return f"{self.release_id}#{self.position} {self.id1} {self.bibcode}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The rows of a release never change once frozen.")
        super().save(*args, **kwargs)


class ReleaseFile(models.Model):
    """One file of a release's bundle, stored in the database with the catalogue: it is backed
    up with it, and downloading a release years later gives the same bytes."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=40)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["release", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["release", "name"], name="release_file_name")
        ]

    def __str__(self) -> str:
        return f"{self.release}/{self.name}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The files of a release never change once written.")
        super().save(*args, **kwargs)


class ExportJob(models.Model):
    """A large export written by a task: the selection (query string) is re-read with the
    rights of the person who asked, the file is kept a day for them to download."""

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "being written"
        READY = "ready", "ready"
        FAILED = "failed", "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    format = models.CharField(max_length=16)
    query = models.TextField(blank=True, help_text="The selection, as the page's query string.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.format} export {self.id}"

    def get_absolute_url(self) -> str:
        return reverse("jmdc:export_job", args=[self.id])

    @property
    def stage(self) -> str:
        return f"{self.done} of {self.total} rows written"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return (
            100 if self.status == self.Status.READY else int(100 * self.done / max(self.total, 1))
        )
