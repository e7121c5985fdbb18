"""Exposures taken at the interferometers (the VLTI first), as the ESO headers describe them.

One row per exposure, with the fields the clients read (see
``../shared/reference/obsportal-contract.md``). The target is a ``jmdc.Star`` once SIMBAD
identified it, so a star's page lists both its diameters and the exposures taken of it; until
then ``target_name`` and the pointing position are what the header said.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from jmdc.models import Star
from lib.bulk_copy import with_derived
from lib.sql_rows import XML_FORBIDDEN
from lib.votable import INVALID_XML

from .headers import baselines_string

ESO_DATALINK = "https://archive.eso.org/datalink/links?ID="
ESO_PROGRAMME = "https://archive.eso.org/wdb/wdb/eso/sched_rep_arc/query"


class ExposureQuerySet(models.QuerySet):
    def visible_to(self, user) -> ExposureQuerySet:
        """Exposure metadata is public at ESO once ingested (the headers of proprietary data
        are public too): everyone sees every exposure. Kept as the one place to change it."""
        return self.all()


class CodeField(models.CharField):
    """An identifier or a code (an exposure id, a programme, an instrument, a status): ASCII,
    compared and ordered byte by byte, on both databases.

    On PostgreSQL its column is collated "C". Under the database's linguistic collation
    (en_US.UTF-8) every comparison in its index goes through strcoll, slow on these long ids
    that share long prefixes; measured on 20,000 synthetic exposures over 30,000 (migration
    0011): ingestion's lookup of known ids 0.20 -> 0.06 s, the COPY of new ones 0.65 -> 0.59 s,
    the UPDATE of changed ones 0.63 -> 0.43 s. SQLite already compares bytes (BINARY).
    Equality is the same under both (PostgreSQL breaks ties of en_US by bytes); the order
    differs only for lower against upper case and punctuation, which codes hardly mix."""

    # Migration 0011 imports this class by its path: moving or renaming it breaks that history.

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters


class TargetStatus(models.TextChoices):
    """How far the identification of the target through SIMBAD went (see targets.py)."""

    # Worded as the catalogue's stars are (jmdc.models.IdentificationState).
    PENDING = "pending", "queued: SIMBAD will be asked at the next identification of targets"
    IDENTIFIED = "identified", "identified by SIMBAD"
    NOT_FOUND = "not_found", "not found in SIMBAD, or ambiguous"
    FAR = "far", "SIMBAD's object is far from the pointing"
    UNCONFIRMED = "unconfirmed", "no pointing to confirm the name with"


def stored_baselines_text(baselines: dict) -> str:
    """What BaselinesTextField stores: the clients' string without the characters XML forbids
    (a station name from a broken header could hold one; every writer removes them), so that
    the answers need not search this long text for them."""
    return INVALID_XML.sub("", baselines_string(baselines))


class BaselinesTextField(models.TextField):
    """The baselines as the clients read them (``headers.baselines_string``), written from the
    instance's ``baselines`` whenever the row is: by ``save()`` (``Exposure.save`` adds it to
    ``update_fields``), ``bulk_create`` and lib/bulk_copy.py's rows (ingestion's inserts and
    updates), which all ask a field's ``pre_save``. (``bulk_update`` does not: a caller of it
    that changes ``baselines`` must list this field and call its ``pre_save``.)

    Why stored: the answers write this string for every row, and building it from the JSON
    was three quarters of the database's work for OiDB's answer (9.5 of 12.7 s at 300,000
    rows), and a Python call per row on SQLite."""

    # What it is written from: saved with them (Exposure.save) and updated with them
    # (lib/bulk_copy.Columns), however few columns a write names.
    sources = ("baselines",)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        text = stored_baselines_text(model_instance.baselines)
        setattr(model_instance, self.attname, text)
        return text


class Exposure(models.Model):
    class Category(models.TextChoices):
        SCIENCE = "science", "science"
        CALIBRATOR = "calibrator", "calibrator"

    TargetStatus = TargetStatus

    exp_id = CodeField(
        max_length=80, help_text="The archive's DP.ID and the exposure number."
    )  # unique: see Meta.constraints
    header_id = models.CharField("DP.ID", max_length=80)
    mjd_start = models.FloatField("MJD start")
    mjd_end = models.FloatField("MJD end")
    category = models.CharField(max_length=16, choices=Category.choices)
    obs_id = models.BigIntegerField("OB id", null=True, blank=True)
    program = CodeField("programme", max_length=32, blank=True)
    program_title = models.CharField(max_length=200, blank=True)
    program_pi_coi = models.CharField("PI / CoI", max_length=200, blank=True)
    interferometer = models.CharField(max_length=16, default="VLTI")
    stations = models.CharField(max_length=64, blank=True, help_text="In header order.")
    instrument = CodeField(max_length=16)
    mode = models.CharField(max_length=64, blank=True)
    submode = models.CharField(max_length=32, blank=True)
    setup = models.JSONField(
        default=dict, blank=True, help_text="Raw instrument keywords whose mapping is unknown."
    )
    em_min = models.FloatField("shortest wavelength (m)", null=True, blank=True)
    em_max = models.FloatField("longest wavelength (m)", null=True, blank=True)
    res_power = models.FloatField("resolving power", null=True, blank=True)
    baselines = models.JSONField(
        default=dict,
        blank=True,
        help_text='{"U1-U2": {"length": [start, end], "angle": [start, end]}}, metres and degrees.',
    )
    baselines_text = BaselinesTextField(
        help_text="The baselines as the clients read them, written with them."
    )
    tau0 = models.FloatField("coherence time (s)", null=True, blank=True)
    seeing = models.FloatField("seeing (arcsec)", null=True, blank=True)
    temperature = models.FloatField("temperature (deg C)", null=True, blank=True)
    target_name = models.CharField(max_length=100, blank=True)
    ra = models.FloatField("RA (J2000, deg)", null=True, blank=True)
    dec = models.FloatField("Dec (J2000, deg)", null=True, blank=True)
    star = models.ForeignKey(
        Star, on_delete=models.SET_NULL, null=True, blank=True, related_name="exposures"
    )
    target_status = CodeField(
        max_length=16, choices=TargetStatus.choices, default=TargetStatus.PENDING
    )
    target_note = models.CharField(
        max_length=300, blank=True, help_text="Why the target is not linked to a star."
    )
    date_release = models.DateTimeField(null=True, blank=True)
    date_updated = models.DateTimeField(db_index=True)
    validation_level = models.PositiveSmallIntegerField(
        default=1, help_text="1: every keyword found; 0: some missing (see the log)."
    )
    validation_log = models.JSONField(default=list, blank=True)

    objects = ExposureQuerySet.as_manager()

    class Meta:
        ordering = ["mjd_start", "pk"]
        # Every index is written at each ingested row: only those a query reads (migration
        # 0010). The text columns' are declared here, not by unique=True / db_index=True: on
        # PostgreSQL those add a varchar_pattern_ops copy for a case-sensitive LIKE 'prefix%',
        # which no query asks (istartswith/iexact compile to UPPER(...) LIKE, which neither
        # index serves). header_id is read, never looked up; instrument alone is served by
        # (instrument, mjd_start).
        indexes = [
            # The portable cone's box: the declination band, the RA window checked in the index
            # (on PostgreSQL; SQLite reads it as it read dec alone). Migrations 0008, 0012.
            models.Index(fields=["dec", "ra"], name="obsportal_exposure_dec_ra"),
            models.Index(fields=["mjd_start"]),  # every list's order, the night range
            models.Index(fields=["instrument", "mjd_start"]),
            # make_synthetic_exposures replaces its programme's rows
            models.Index(fields=["program"], name="exposure_program"),
            # the identification of the pending targets
            models.Index(fields=["target_status"], name="exposure_target_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["exp_id"], name="exposure_exp_id_unique"),
            models.CheckConstraint(
                condition=Q(ra__isnull=True) | Q(ra__gte=0, ra__lt=360), name="exposure_ra_range"
            ),
            models.CheckConstraint(
                condition=Q(dec__isnull=True) | Q(dec__gte=-90, dec__lte=90),
                name="exposure_dec_range",
            ),
            models.CheckConstraint(
                condition=Q(mjd_end__gte=models.F("mjd_start")), name="exposure_ends_after_start"
            ),
            # What the answers write unsearched (a markup_only field; lib/sql_rows.py marks a
            # row for Python with \x01): a write that skipped pre_save (loaddata, update())
            # with such a character is refused, not streamed as a broken document.
            models.CheckConstraint(
                condition=~Q(baselines_text__regex=XML_FORBIDDEN),
                name="exposure_baselines_text_xml",
            ),
        ]

    def __str__(self) -> str:
        return self.exp_id

    def save(self, *args, **kwargs):
        # The stored string follows the baselines, also when only some fields are saved.
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = with_derived(self._meta, kwargs["update_fields"])
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("obsportal:exposure", args=[self.exp_id])

    @property
    def tau0_ms(self) -> float | None:
        """The coherence time as every page shows it: in milliseconds (stored in seconds, as
        the header gives it)."""
        return self.tau0 * 1000 if self.tau0 is not None else None

    # The archive's own pages for the file and the programme, for a reader to follow.
    @property
    def header_url(self) -> str:
        """The file's header at the archive's header service (the one the harvest reads)."""
        return f"{settings.ESO_HEADER_URL}?{urlencode({'DpId': self.header_id})}"

    @property
    def archive_url(self) -> str:
        """The file's DataLink page at the ESO archive: the raw file and what goes with it."""
        return ESO_DATALINK + quote(f"ivo://eso.org/ID?{self.header_id}", safe=":/?")

    @property
    def programme_url(self) -> str:
        """ESO's page of the programme (title, PI, allocated time); empty without one."""
        if not self.program:
            return ""
        return f"{ESO_PROGRAMME}?{urlencode({'progid': self.program})}"


class HarvestRun(models.Model):
    """One pass of the ESO archive harvest: where it started and reached in the archive's
    modification order, how far it got, and what it did. The next run starts where the last
    one reached: each page of files is committed with its mark, so a run that stopped (archive
    down, worker killed) lost nothing and is resumed from there."""

    class Status(models.TextChoices):
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "stopped on an error"

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    heartbeat = models.DateTimeField(auto_now=True, help_text="Last sign of life of the run.")
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.CharField(max_length=150, blank=True, help_text="A user, or the schedule.")
    since_modified = models.CharField(max_length=40)
    since_dp_id = models.CharField(max_length=80, blank=True)
    reached_modified = models.CharField(max_length=40)
    reached_dp_id = models.CharField(max_length=80, blank=True)
    total = models.PositiveIntegerField(null=True, blank=True, help_text="Files to read.")
    done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    skipped_log = models.JSONField(default=list, blank=True, help_text="The first reasons.")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = "started_at"
        permissions = [("run_harvests", "Can start and follow the ESO archive harvests")]
        constraints = [
            # Two harvests at once would read the same files twice and race on the mark.
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="running"), name="one_running_harvest"
            )
        ]

    def __str__(self) -> str:
        return f"harvest {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, int(100 * self.done / self.total))

    @property
    def finished(self) -> bool:
        return self.status != self.Status.RUNNING

    @property
    def stage(self) -> str:
        return f"{self.done} of {self.total if self.total is not None else '?'} files"
