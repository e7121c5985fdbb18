"""Reading the catalogue files the JMDC has been kept in since 2016, and importing them.

Two layouts exist:
- the portal export (``/export_csv``, 2020 on): the 12 columns of the VizieR table;
- the curators' spreadsheet (2016-2019): ``UD_MEAS``/``LD_MEAS``/``E_LD_MEAS``/``REFERENCE``,
  and in Aug/Sep 2016 ``METHODCODE``/``NOTE``/``REFTEXT`` plus three columns that were later
  merged into MU_LAMBDA (``ORIG_MU_LAMBDA`` is the one that became it).

``read_catalogue_file`` is pure: it returns cleaned rows and a report of everything it had to
change or could not accept, each with the line number of the file. Text is cleaned by
``lib.text`` (the same cleaning as the portal's uploads, form and API) and widths are measured
as the VizieR file writes them. ``import_catalogue`` writes the rows in one transaction, all
or nothing: a file with a refused row writes nothing unless ``keep_going`` is given; importing
a file whose rows are already present adds nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import astuple, dataclass, field
from pathlib import Path

from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history

from lib.bibcodes import ADS_BIBCODE, PSEUDO_BIBCODE
from lib.findings import WARNING, Finding
from lib.numbers import NotADecimal, decimal_number
from lib.text import (
    ERROR,
    NotText,
    clean_free_text,
    clean_identifier,
    decode_bytes,
    identifier_problems,
)

from ..columns import COLUMNS
from ..formats.vizier import TEXT_WIDTHS, real_too_large, written_width
from ..models import CATALOGUE_COLUMNS, CATALOGUE_FIELDS, COLUMN_NAME, ImportRun, Measurement, Star

# The catalogue's names of its columns, and the spreadsheet-era names of the same columns.
COLUMN_ALIASES: dict[str, str] = {
    **{column.name: column.field for column in COLUMNS},
    "UD_MEAS": "ud_diam",
    "LD_MEAS": "ld_diam",
    "E_LD_MEAS": "e_ld_diam",
    "ORIG_MU_LAMBDA": "mu_lambda",
    "METHODCODE": "method",
    "NOTE": "notes",
    "REFERENCE": "bibcode",
    "REFTEXT": "bibcode",
}
# Columns of the 2016 sheet that never reached the catalogue as such.
IGNORED_COLUMNS = {"LD_DIAM_ORIG", "UD_TO_LD_3D_COEFF"}


# Pseudo-bibcodes for references that ADS does not hold: the year and 15 dots, or 19 dots.
LEGACY_NULLS = {"-1", "-1.0", "-1.00"}
TRUE_WORDS = {"true", "1", "yes", "y", "x"}
FALSE_WORDS = {"", "false", "0", "no", "n"}


class CatalogueFileError(Exception):
    """The file as a whole cannot be read (not a catalogue, wrong columns)."""


@dataclass(frozen=True)
class CatalogueRow:
    id1: str
    id2: str
    ud_diam: float | None
    ld_diam: float | None
    e_ld_diam: float | None
    band: str
    mu_lambda: float | None
    method: int | None
    bandcode: int | None
    notes: str
    bibcode: str
    sinpe: bool

    def key(self) -> tuple:
        """The row's content: equal keys are the same measurement written twice."""
        return astuple(self)


@dataclass
class ParsedFile:
    rows: list[tuple[int, CatalogueRow]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    lines_read: int = 0
    legacy_nulls: int = 0
    trimmed_cells: int = 0
    short_rows: int = 0  # rows that lacked their trailing empty cells

    @property
    def rejected_lines(self) -> int:
        return len({f.line for f in self.findings if f.rejected})


class _RowRejected(Exception):
    pass


def decode_catalogue_bytes(data: bytes, notices: list[str]) -> str:
    try:
        text, guessed = decode_bytes(data)
    except NotText as exc:
        raise CatalogueFileError(str(exc)) from exc
    if guessed:
        notices.append(f"the file is not UTF-8: it was read as {guessed}")
    return text


def read_catalogue_file(source: str | Path | bytes) -> ParsedFile:
    """Read and clean a catalogue file in any of the JMDC layouts."""
    parsed = ParsedFile()
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    text = decode_catalogue_bytes(data, parsed.notices)
    if not text.strip():
        raise CatalogueFileError("the file is empty")

    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    columns = _map_header(header, parsed)
    record_start = reader.line_num + 1
    for cells in reader:
        line = record_start
        record_start = reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        parsed.lines_read += 1
        if len(cells) < len(header):
            # Some spreadsheet programs leave out a row's trailing empty cells.
            parsed.short_rows += 1
            cells = cells + [""] * (len(header) - len(cells))
        if len(cells) != len(header):
            parsed.findings.append(
                Finding(
                    "*",
                    ERROR,
                    "cell_count",
                    f"{len(cells)} cells where the header has {len(header)}",
                    line=line,
                )
            )
            continue
        raw = {attr: cells[index] for index, attr in columns}
        findings: list[Finding] = []
        try:
            row = _clean_row(raw, line, findings, parsed)
        except _RowRejected:
            row = None
        parsed.findings.extend(findings)
        if row is not None:
            parsed.rows.append((line, row))
    if parsed.short_rows:
        parsed.notices.append(
            f"{parsed.short_rows} rows lacked their trailing empty cells (as some spreadsheet "
            "programs write them): read as empty"
        )
    return parsed


def _map_header(header: list[str], parsed: ParsedFile) -> list[tuple[int, str]]:
    columns: list[tuple[int, str]] = []
    seen: set[str] = set()
    unknown: list[str] = []
    for index, name in enumerate(header):
        name = name.strip().upper()
        if name in IGNORED_COLUMNS:
            parsed.notices.append(f"column {name} is not a catalogue column: ignored")
            continue
        attr = COLUMN_ALIASES.get(name)
        if attr is None:
            unknown.append(name or f"(empty, column {index + 1})")
            continue
        if attr in seen:
            raise CatalogueFileError(f"two columns give {COLUMN_NAME[attr]} (the second is {name})")
        seen.add(attr)
        columns.append((index, attr))
    if unknown:
        raise CatalogueFileError(
            f"unknown column(s) {', '.join(unknown)}; expected the export's columns "
            f"{', '.join(name for name, _ in CATALOGUE_COLUMNS)}"
        )
    missing = [COLUMN_NAME[attr] for attr in ("id1", "bibcode") if attr not in seen]
    if "ud_diam" not in seen and "ld_diam" not in seen:
        missing.append("UD_DIAM or LD_DIAM")
    if missing:
        raise CatalogueFileError(f"missing column(s): {', '.join(missing)}")
    return columns


def _clean_row(
    raw: dict[str, str], line: int, findings: list[Finding], parsed: ParsedFile
) -> CatalogueRow:
    def note(attr: str, message: str) -> None:
        findings.append(Finding(COLUMN_NAME[attr], WARNING, "imported", message, line=line))

    def reject(attr: str, message: str) -> None:
        findings.append(Finding(COLUMN_NAME[attr], ERROR, "refused", message, line=line))
        raise _RowRejected

    text: dict[str, str] = {}
    for attr, value in raw.items():
        cleaned = (clean_free_text if attr == "notes" else clean_identifier)(value)
        for finding in cleaned.findings:
            # An error of the cleaning (a lone surrogate in a name) refuses the row.
            (reject if finding.severity == ERROR else note)(attr, finding.message)
        if cleaned.trimmed and not cleaned.findings:
            parsed.trimmed_cells += 1
        text[attr] = cleaned.text

    numbers: dict[str, float | None] = {}
    for attr in ("ud_diam", "ld_diam", "e_ld_diam", "mu_lambda"):
        value = text.get(attr, "")
        if value in LEGACY_NULLS:
            parsed.legacy_nulls += 1
            numbers[attr] = None
            continue
        if value == "":
            numbers[attr] = None
            continue
        try:
            number = decimal_number(value)
        except NotADecimal as exc:
            reject(attr, str(exc))
        if number < 0 or (number == 0 and attr in ("ud_diam", "ld_diam")):
            reject(attr, f"{value} is not a positive value")
        # The limits of jmdc.dat's real columns, as the rules apply them to submissions: a
        # number past them imports, then /export.dat and every release fail on it.
        if problem := real_too_large(attr, number):
            reject(attr, problem)
        numbers[attr] = number

    if numbers["ud_diam"] is None and numbers["ld_diam"] is None:
        reject("ud_diam", "neither UD_DIAM nor LD_DIAM has a value")

    method = _small_int(text.get("method", ""), "method", range(1, 4), parsed, reject)
    if method is None:
        note("method", "METHOD is empty")
    bandcode = _small_int(text.get("bandcode", ""), "bandcode", range(1, 13), parsed, reject)

    sinpe_text = text.get("sinpe", "").lower()
    if sinpe_text in TRUE_WORDS:
        sinpe = True
    elif sinpe_text in FALSE_WORDS:
        sinpe = False
    else:
        reject("sinpe", f"{text['sinpe']!r} is neither True nor empty")

    notes = text.get("notes", "")
    bibcode, citation = _split_bibcode(text["bibcode"], note, reject)
    if citation and citation not in notes:
        notes = f"{notes}; {citation}" if notes else citation

    if not text["id1"]:
        reject("id1", "ID1 is empty")
    for attr in ("id1", "id2", "band", "bibcode"):
        value = bibcode if attr == "bibcode" else text.get(attr, "")
        for problem in identifier_problems(value, band=attr == "band"):
            reject(attr, problem.message)
    # Every text column jmdc.dat writes, from its layout: one left out here (BIBCODE was)
    # imports a row that /export.dat and every release then fail on.
    for attr, width in TEXT_WIDTHS.items():
        if attr == "notes":  # cut below rather than refused
            continue
        value = bibcode if attr == "bibcode" else text.get(attr, "")
        if max(len(value), written_width(value)) > width:
            reject(attr, f"{_length(value)}, the column holds {width}")
    width = TEXT_WIDTHS["notes"]
    if max(len(notes), written_width(notes)) > width:
        # The 2016-2019 sheets had longer notes, shortened by hand later; the full text
        # stays in the import report.
        note("notes", f"{_length(notes)} cut to fit {width}; the full text was: {notes!r}")
        notes = cut_at_a_word(notes, width)

    return CatalogueRow(
        id1=text["id1"],
        id2=text.get("id2", ""),
        ud_diam=numbers["ud_diam"],
        ld_diam=numbers["ld_diam"],
        e_ld_diam=numbers["e_ld_diam"],
        band=text.get("band", ""),
        mu_lambda=numbers["mu_lambda"],
        method=method,
        bandcode=bandcode,
        notes=notes,
        bibcode=bibcode,
        sinpe=sinpe,
    )


def _length(text: str) -> str:
    """'220 characters', and how many VizieR's ASCII makes of them when that differs."""
    written = written_width(text)
    ascii_note = f" ({written} as VizieR writes them in ASCII)" if written != len(text) else ""
    return f"{len(text)} characters{ascii_note}"


def cut_at_a_word(text: str, width: int) -> str:
    """The longest start of ``text`` ending at a word that fits ``width`` both as typed and
    as VizieR writes it (… takes 3 characters there)."""
    cut = text[: width + 1]
    while max(len(cut), written_width(cut)) > width:
        shorter = cut.rsplit(" ", 1)[0].rstrip(" ,;")
        cut = shorter if shorter != cut else cut[:-1]  # one long word: cut inside it
    return cut


def _small_int(value: str, attr: str, allowed: range, parsed: ParsedFile, reject) -> int | None:
    if value == "":
        return None
    if value in LEGACY_NULLS:
        parsed.legacy_nulls += 1
        return None
    try:
        number = decimal_number(value)
    except NotADecimal:
        reject(attr, f"{value!r} is not a whole number")
    if number != int(number) or int(number) not in allowed:
        reject(attr, f"{value} is not in {allowed.start}..{allowed.stop - 1}")
    return int(number)


def _split_bibcode(value: str, note, reject) -> tuple[str, str]:
    """Separate a bibcode from citation text the spreadsheets glued to it.

    Returns the bibcode and the citation to keep in NOTES ("" when there is none).
    """
    if not value:
        reject("bibcode", "BIBCODE is empty")
    head, _, rest = value.partition(" ")
    rest = rest.strip()
    if len(head) == 19 and not rest:
        if not (PSEUDO_BIBCODE.match(head) or ADS_BIBCODE.match(head)):
            note("bibcode", f"{head!r} is neither an ADS bibcode nor a pseudo-bibcode")
        return head, ""
    if len(head) == 19 and PSEUDO_BIBCODE.match(head):
        note("bibcode", "citation text moved from BIBCODE to NOTES")
        return head, rest
    if len(head) == 19:
        # A real bibcode: ADS holds the citation, as the 2020 portal decided too.
        note("bibcode", f"citation text after the ADS bibcode dropped: {rest[:60]!r}")
        return head, ""
    if len(value) <= 19 and " " not in value:
        note("bibcode", f"{value!r} has {len(value)} characters, a bibcode has 19")
        return value, ""
    year = re.match(r"^(\d{4})[.\s]", value)
    if year:
        # e.g. "2013.TB.private comm.": a year and a citation, not a bibcode.
        note(
            "bibcode",
            f"{value!r} is not a bibcode: pseudo-bibcode {year.group(1)}{'.' * 15} used, "
            "text moved to NOTES",
        )
        return year.group(1) + "." * 15, value[4:].lstrip(" .")
    reject("bibcode", f"{value[:40]!r} has {len(value)} characters, a bibcode has 19")


@dataclass
class ImportResult:
    run: ImportRun | None
    parsed: ParsedFile
    added: int
    already_present: int
    stars_created: int
    dry_run: bool
    keep_going: bool = False

    @property
    def refused(self) -> bool:
        """Rows were refused and the import, all or nothing, wrote none of the others."""
        return bool(self.parsed.rejected_lines) and not self.keep_going

    def report_lines(self) -> list[str]:
        p = self.parsed
        lines = list(p.notices)
        lines += [str(f) for f in p.findings]
        if self.refused:
            outcome = (
                f" (nothing written: {p.rejected_lines} rows refused, and an import is all or "
                "nothing; fix them, or import the other rows with --keep-going)"
            )
        elif self.dry_run:
            outcome = " (dry run: nothing written)"
        elif p.rejected_lines:
            outcome = " (--keep-going: the other rows were written)"
        else:
            outcome = ""
        lines.append(
            f"{p.lines_read} rows read: {self.added} added, {self.already_present} already "
            f"present, {p.rejected_lines} not imported; {self.stars_created} new stars; "
            f"{p.legacy_nulls} legacy -1 values read as empty; blanks trimmed in "
            f"{p.trimmed_cells} cells{outcome}"
        )
        return lines


class _DryRunRollback(Exception):
    pass


BATCH = 500


def import_catalogue(
    path: Path,
    *,
    data: bytes | None = None,
    dry_run: bool = False,
    keep_going: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import a catalogue file in one transaction; rows already in the catalogue are skipped.

    All or nothing: when a row is refused nothing is written (``result.refused``), unless
    ``keep_going`` asks for the other rows. Rows are compared on their 12 columns and
    counted, so a time series of identical rows keeps its multiplicity, and importing the
    same file twice adds nothing the second time. ``data``, when given, is the file's
    content and ``path`` only names it.
    """
    if data is None:
        data = Path(path).read_bytes()
    parsed = read_catalogue_file(data)
    result = ImportResult(None, parsed, 0, 0, 0, dry_run, keep_going)
    if result.refused:
        return result
    try:
        with transaction.atomic():
            _write(path, data, parsed, result, progress)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        result.run = None
    return result


# Two imports running at once would each count the catalogue before the other's rows are
# committed and add the same rows twice: on PostgreSQL they queue on this lock instead
# (SQLite serialises writing transactions by itself).
IMPORT_LOCK_KEY = 345_0001


def _write(path, data, parsed, result, progress) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
    present = Counter(Measurement.objects.values_list(*CATALOGUE_FIELDS).iterator())
    to_add: list[CatalogueRow] = []
    for _, row in parsed.rows:
        key = row.key()
        if present[key] > 0:
            present[key] -= 1
            result.already_present += 1
        else:
            to_add.append(row)

    stars = _stars_for({row.id1 for row in to_add}, result)
    run = ImportRun.objects.create(
        file_name=Path(path).name,
        sha256=hashlib.sha256(data).hexdigest(),
        rows_read=parsed.lines_read,
        rows_already_present=result.already_present,
        rows_rejected=parsed.rejected_lines,
    )
    for start in range(0, len(to_add), BATCH):
        batch = to_add[start : start + BATCH]
        bulk_create_with_history(
            [Measurement(star_id=stars[row.id1], import_run=run, **_fields(row)) for row in batch],
            Measurement,
            default_change_reason=f"imported from {run.file_name}",
        )
        result.added += len(batch)
        if progress:
            progress(result.added, len(to_add))
    run.rows_added = result.added
    result.run = run
    run.report = "\n".join(result.report_lines())
    run.save(update_fields=["rows_added", "report"])


def _fields(row: CatalogueRow) -> dict:
    return {attr: getattr(row, attr) for attr in CATALOGUE_FIELDS}


def _stars_for(names: Iterable[str], result: ImportResult) -> dict[str, int]:
    """Star ids by name, creating the stars not seen before (pending SIMBAD resolution)."""
    before = Star.objects.count()
    stars = Star.objects.for_names(names)
    result.stars_created = Star.objects.count() - before
    return {name: star.pk for name, star in stars.items()}
