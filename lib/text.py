"""Text hygiene in one place: what the portal does to text typed, uploaded, posted or imported.

Two kinds of text, two functions:

- identifiers and codes (ID1, ID2, BAND, BIBCODE) go through ``clean_identifier`` and are
  checked by ``identifier_problems``: an invisible, ignorable, blank-looking or bidirectional
  character, a compatibility form of a letter or digit (fullwidth, mathematical, circled,
  superscript: VizieR folds fullwidth HD 360 to HD 360), or a Cyrillic or Greek letter among Latin
  ones, makes a name that looks exactly like another star's
  (HD 360 typed with a Cyrillic EN, U+041D, is not HD 360), so it is refused, never silently fixed;
- free text (NOTES, titles, comments) goes through ``clean_free_text``: Unicode NFC, control
  and invisible characters removed. Greek letters are at home there (sigma, mu).

Every change is reported (``Cleaned.findings``): nothing typed changes silently, except blanks
trimmed at the ends of a cell. The findings carry no row or column; the caller adds them.
Plain Python, no Django: uploads, the form, the API and the importer all call it.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"

# Invisible characters that reorder what follows them (the "Trojan Source" characters).
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)
ZERO_WIDTH = frozenset(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
# Unicode's Default_Ignorable_Code_Point characters that are not formatting (Cf) characters:
# fillers, joiners and selectors drawn as nothing (HD 3\u034f60 looks like HD 360). With
# the Cf ones, refused in identifiers.
IGNORABLE_RANGES = (
    (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F),
    (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)  # fmt: skip
# Symbols drawn as a blank without being spaces (no NFKC form to fall back on).
BLANK_LOOKING = frozenset(["\u2800"])  # BRAILLE PATTERN BLANK
# The micro sign is how many keyboards type the micron (µm in BAND); jmdc.dat writes it u
# (jmdc.formats.vizier.to_ascii; VizieR's own folding would write '?').
BAND_SIGNS = frozenset(["\u00b5"])
# Dashes, minus signs and dots drawn like the ASCII ones (copied from a PDF or a word
# processor): BD\u221221 4897 is not BD-21 4897 for SIMBAD, and VizieR writes it BD?21 4897.
# What to type instead.
PUNCTUATION_LOOKALIKES = {
    **{chr(c): "-" for c in range(0x2010, 0x2016)},  # hyphens, figure dash, en/em dashes
    "\u02d7": "-", "\u2043": "-", "\u2212": "-", "\u2796": "-", "\u2e3a": "-", "\u2e3b": "-",
    "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
    "\u00b7": ".", "\u2024": ".", "\u2027": ".", "\u2219": ".", "\u22c5": ".", "\uff0e": ".",
}  # fmt: skip
# Control characters that end a line: they become one blank rather than glue two words.
LINE_BREAKS = frozenset("\t\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029")
# A cell starting with one of these is run as a formula by spreadsheet programs: the rules
# refuse them in submitted text, the Excel export marks such legacy text as typed text.
FORMULA_PREFIXES = ("=", "+", "-", "@")
# unicodedata has no name for control characters: their ASCII names, which people look up.
C0_NAMES = [
    "NULL",
    "START OF HEADING",
    "START OF TEXT",
    "END OF TEXT",
    "END OF TRANSMISSION",
    "ENQUIRY",
    "ACKNOWLEDGE",
    "ALERT",
    "BACKSPACE",
    "CHARACTER TABULATION",
    "LINE FEED",
    "LINE TABULATION",
    "FORM FEED",
    "CARRIAGE RETURN",
    "SHIFT OUT",
    "SHIFT IN",
    "DATA LINK ESCAPE",
    "DEVICE CONTROL ONE",
    "DEVICE CONTROL TWO",
    "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR",
    "NEGATIVE ACKNOWLEDGE",
    "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK",
    "CANCEL",
    "END OF MEDIUM",
    "SUBSTITUTE",
    "ESCAPE",
    "INFORMATION SEPARATOR FOUR",
    "INFORMATION SEPARATOR THREE",
    "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE",
]
CONTROL_NAMES = {**dict(enumerate(C0_NAMES)), 0x7F: "DELETE", 0x85: "NEXT LINE"}
# Cyrillic and Greek letters drawn like Latin ones: a word made only of them reads as Latin.
LATIN_LOOKALIKES = frozenset(
    "АВЕКМНОРСТХЅІЈаеорсухѕіј"  # Cyrillic
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοικνρυ"  # Greek
)
SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
# "μm" (Greek mu) is how many people type the micron in BAND; it is a unit, not a name.
UNIT_WORDS = frozenset(["μm"])
SHOWN = 5  # characters listed in one message; the rest are counted
# Share of control bytes beyond which a file is not text at all (a picture, a PDF...).
BINARY_SHARE = 0.05
TEXT_CONTROL_BYTES = b"\t\n\r\x0b\x0c"


class NotText(ValueError):
    """The bytes are not a text file (the message says what they look like)."""


@dataclass(frozen=True)
class TextFinding:
    severity: str
    code: str
    message: str
    # The characters concerned, as the message lists them ("U+202E RIGHT-TO-LEFT OVERRIDE at
    # position 5"), for callers that word their own sentence around them.
    characters: str = ""
    what: str = ""  # what they are ("control characters"; "line 2: control characters")


@dataclass(frozen=True)
class Cleaned:
    text: str
    findings: tuple[TextFinding, ...] = ()
    trimmed: bool = False  # blanks trimmed at the ends: the one silent change


def describe(ch: str) -> str:
    """U+202E RIGHT-TO-LEFT OVERRIDE: what a user can look up."""
    name = unicodedata.name(ch, "") or CONTROL_NAMES.get(ord(ch), "")
    if not name and unicodedata.category(ch) == "Cs":
        name = "SURROGATE (half of a character, alone: not text)"
    if not name:
        name = "CONTROL CHARACTER" if unicodedata.category(ch) == "Cc" else "UNNAMED CHARACTER"
    return f"U+{ord(ch):04X} {name}"


def is_surrogate(ch: str) -> bool:
    """Half of a UTF-16 pair, alone: Python strings can hold one, no encoding can write it."""
    return 0xD800 <= ord(ch) <= 0xDFFF


def _listing(found: list[tuple[str, int]]) -> str:
    shown = ", ".join(f"{describe(ch)} at position {pos}" for ch, pos in found[:SHOWN])
    more = len(found) - SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def _is_invisible(ch: str) -> bool:
    # Cf: formatting (bidi, zero-width, soft hyphen); Cs/Cn: surrogates, unassigned and
    # non-characters (U+FFFE), which XML and UTF-8 cannot carry; Co: private use.
    return unicodedata.category(ch) in ("Cf", "Cs", "Cn", "Co")


def _is_ignorable(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in IGNORABLE_RANGES)


def _hidden_in_identifier(ch: str) -> bool:
    return (
        _is_invisible(ch)
        or unicodedata.category(ch) == "Cc"
        or _is_ignorable(ch)
        or ch in BLANK_LOOKING
    )


def _plain_form(ch: str) -> str | None:
    """What to type instead of a compatibility form of a letter or digit (fullwidth
    U+FF28, mathematical U+210D, circled U+24BD, superscript U+00B2...): its NFKC form; None for other characters.
    VizieR folds these to the plain ones, so two different names would be one there."""
    plain = unicodedata.normalize("NFKC", ch)
    if plain == ch:
        return None
    if any(c.isalnum() for c in plain) or 0xFF00 <= ord(ch) <= 0xFFEF:
        return plain
    return None


def _clean(value: str, *, identifier: bool) -> Cleaned:
    text = unicodedata.normalize("NFC", value)
    kept: list[tuple[str, int, str]] = []  # (character, position, "space" / "break" / "")
    removed: list[tuple[str, int]] = []
    invisible: list[tuple[str, int]] = []
    surrogates: list[tuple[str, int]] = []
    breaks = False
    for pos, ch in enumerate(text, start=1):
        category = unicodedata.category(ch)
        if is_surrogate(ch):
            # Half of a UTF-16 pair, alone (a JSON "\ud800"): no encoding can write it, so
            # nothing downstream (a query, a response, a file) may ever see one.
            surrogates.append((ch, pos))
        elif ch in LINE_BREAKS:
            removed.append((ch, pos))
            breaks = True
            if not (kept and kept[-1][2] == "break"):  # CR LF is one break, one blank
                kept.append((" ", pos, "break"))
        elif category == "Cc":
            removed.append((ch, pos))
        elif not identifier and _is_invisible(ch):
            invisible.append((ch, pos))
        elif category == "Zs" and ch != " ":
            # A free text's no-break space is typography; in a name it makes another name.
            kept.append((" ", pos, "space") if identifier else (ch, pos, ""))
        else:
            kept.append((ch, pos, ""))
    start, end = 0, len(kept)
    while start < end and kept[start][0] == " ":
        start += 1
    while end > start and kept[end - 1][0] == " ":
        end -= 1
    inner = kept[start:end]
    cleaned = "".join(ch for ch, _, _ in inner)
    findings = []
    if surrogates and identifier:
        findings.append(
            TextFinding(
                ERROR,
                "surrogate",
                f"{_listing(surrogates)}: not a character (the text was damaged on its way); "
                "it was removed: check the name and send it again.",
                _listing(surrogates),
                "lone surrogates",
            )
        )
    elif surrogates:
        findings.append(
            TextFinding(
                WARNING,
                "surrogate",
                f"lone surrogates removed (not characters: the text was damaged on its way): "
                f"{_listing(surrogates)}",
                _listing(surrogates),
                "lone surrogates",
            )
        )
    if removed:
        findings.append(
            TextFinding(
                WARNING,
                "control_characters",
                f"control characters removed: {_listing(removed)}"
                + (" (a line break or tab became a blank)" if breaks else ""),
                _listing(removed),
                "control characters",
            )
        )
    if invisible:
        findings.append(
            TextFinding(
                WARNING,
                "invisible_characters",
                f"invisible characters removed: {_listing(invisible)}",
                _listing(invisible),
                "invisible characters",
            )
        )
    spaces = [(text[pos - 1], pos) for _, pos, kind in inner if kind == "space"]
    if spaces:
        findings.append(
            TextFinding(
                WARNING,
                "unusual_space",
                f"{_listing(spaces)} replaced by a plain space",
                _listing(spaces),
                "unusual spaces",
            )
        )
    return Cleaned(cleaned, tuple(findings), trimmed=len(inner) != len(kept))


def clean_identifier(value: str) -> Cleaned:
    """An identifier or code as stored: NFC, control characters removed (a line break or tab
    becomes a blank), other Unicode spaces made plain, trimmed. Invisible and look-alike
    characters are kept so that ``identifier_problems`` can refuse them where they are."""
    return _clean(value, identifier=True)


def clean_free_text(value: str) -> Cleaned:
    """Free text (NOTES, a title, a comment) as stored: NFC, control and invisible
    characters removed (a line break or tab becomes a blank), trimmed."""
    return _clean(value, identifier=False)


def one_line(text: str, limit: int | None = None) -> str:
    """Text for one line (an e-mail subject, a log line): cleaned as free text (a line break
    or tab becomes a blank, control and invisible characters go), blanks collapsed, and cut
    with an ellipsis beyond ``limit`` characters."""
    flat = " ".join(clean_free_text(text).text.split())
    if limit is not None and len(flat) > limit:
        return flat[: limit - 1] + "…"
    return flat


def clean_paragraphs(value: str) -> Cleaned:
    """Free text whose line breaks are meant (a comment, a reason): each line cleaned as
    ``clean_free_text`` does, the lines kept (CR LF and CR become LF). What was removed is
    reported with its line number."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept, findings = [], []
    for number, line in enumerate(lines, start=1):
        cleaned = clean_free_text(line)
        kept.append(cleaned.text)
        where = f"line {number}: " if len(lines) > 1 else ""
        findings += [
            TextFinding(f.severity, f.code, where + f.message, f.characters, where + f.what)
            for f in cleaned.findings
        ]
    text = "\n".join(kept).strip("\n")
    return Cleaned(text, tuple(findings), trimmed=text != value)


def _script(ch: str) -> str | None:
    if not unicodedata.category(ch).startswith("L"):
        return None
    first = unicodedata.name(ch, "").split(" ", 1)[0]
    return first if first in SCRIPTS else None


def _words(text: str) -> list[list[tuple[str, int]]]:
    """Runs of letters (and their combining marks), with 1-based positions."""
    words: list[list[tuple[str, int]]] = []
    current: list[tuple[str, int]] = []
    for pos, ch in enumerate(text, start=1):
        if unicodedata.category(ch)[0] in "LM":
            current.append((ch, pos))
        elif current:
            words.append(current)
            current = []
    if current:
        words.append(current)
    return words


def identifier_problems(text: str, *, band: bool = False) -> list[TextFinding]:
    """Why an identifier or code cannot be accepted as it is (errors), or nothing. ``band``:
    the text is a BAND, where the micro sign of µm is at home."""
    findings = []
    bidi = [(ch, pos) for pos, ch in enumerate(text, start=1) if ch in BIDI_CONTROLS]
    hidden = [
        (ch, pos)
        for pos, ch in enumerate(text, start=1)
        if ch not in BIDI_CONTROLS and _hidden_in_identifier(ch)
    ]
    hidden_at = {pos for _, pos in hidden}
    compatible = [
        (ch, pos, plain)
        for pos, ch in enumerate(text, start=1)
        if pos not in hidden_at
        and ch not in PUNCTUATION_LOOKALIKES
        and not (band and ch in BAND_SIGNS)
        and (plain := _plain_form(ch)) is not None
    ]
    if bidi:
        findings.append(
            TextFinding(
                ERROR,
                "bidi_control",
                f"{_listing(bidi)}: an invisible bidirectional control, which can change how "
                "the text reads; retype it without this character.",
            )
        )
    if hidden:
        if all(ch in ZERO_WIDTH for ch, _ in hidden):
            kind = "a zero-width character"
        elif all(ch in BLANK_LOOKING for ch, _ in hidden):
            kind = "a symbol drawn as a blank"
        else:
            kind = "invisible"
        findings.append(
            TextFinding(
                ERROR,
                "invisible_character",
                f"{_listing(hidden)}: {kind}, it makes a name that looks like another one; "
                "retype it without this character.",
            )
        )
    if compatible:
        shown = ", ".join(
            f"{describe(ch)} at position {pos} (type {plain!r})"
            for ch, pos, plain in compatible[:SHOWN]
        )
        more = len(compatible) - SHOWN
        typed = "".join(
            _plain_form(ch) or ch if not (band and ch in BAND_SIGNS) else ch for ch in text
        )
        findings.append(
            TextFinding(
                ERROR,
                "compatibility_character",
                f"{shown}{f' and {more} more' if more > 0 else ''}: a fullwidth, mathematical, "
                "circled or superscript form of a plain character, which makes a name that "
                f"looks like another one; type {typed!r} with plain characters.",
            )
        )
    lookalikes = [(ch, pos) for pos, ch in enumerate(text, start=1) if ch in PUNCTUATION_LOOKALIKES]
    if lookalikes:
        shown = ", ".join(
            f"{describe(ch)} at position {pos} (type {PUNCTUATION_LOOKALIKES[ch]!r})"
            for ch, pos in lookalikes[:SHOWN]
        )
        more = len(lookalikes) - SHOWN
        typed = "".join(PUNCTUATION_LOOKALIKES.get(ch, ch) for ch in text)
        findings.append(
            TextFinding(
                ERROR,
                "lookalike_punctuation",
                f"{shown}{f' and {more} more' if more > 0 else ''}: a dash, minus or dot that "
                "looks like the ASCII one but is another character (copied from a PDF?), which "
                f"makes a name that looks like another one; type {typed!r}.",
            )
        )
    words = [w for w in _words(text) if "".join(ch for ch, _ in w) not in UNIT_WORDS]
    scripts = {_script(ch) for word in words for ch, _ in word} - {None}
    for word in words:
        in_word = {_script(ch) for ch, _ in word} - {None}
        foreign = [(ch, pos) for ch, pos in word if _script(ch) in ("CYRILLIC", "GREEK")]
        if not foreign:
            continue
        mixed = "LATIN" in in_word or ("LATIN" in scripts and "CYRILLIC" in in_word)
        lookalike = len(word) > 1 and all(ch in LATIN_LOOKALIKES for ch, _ in word)
        # A Bayer letter standing alone is lower case (alpha Cen, omicron Cet): a Greek capital
        # alone (HD 360 with a Greek ALPHA) is a Latin letter's double.
        lookalike = lookalike or (len(word) == 1 and word[0][0] in LATIN_LOOKALIKES
                                  and _script(word[0][0]) == "GREEK"
                                  and word[0][0].isupper())  # fmt: skip
        if mixed or lookalike:
            ch, pos = foreign[0]
            alphabet = (_script(ch) or "").capitalize()  # never "": foreign letters have one
            findings.append(
                TextFinding(
                    ERROR,
                    "mixed_script",
                    f"{describe(ch)} at position {pos} is a {alphabet} letter"
                    + (" among Latin ones" if mixed else " that looks like a Latin one")
                    + ": the name would look like another one; type it with Latin letters"
                    " (a Greek letter of a Bayer name stands alone, in lower case, as in 'α Cen').",
                )
            )
            break
    return findings


def decode_bytes(data: bytes) -> tuple[str, str | None]:
    """The text of a file, and the name of the encoding guessed (None when the file says
    which: UTF-8, or a byte-order mark). UTF-16 needs its byte-order mark; a file that is
    not UTF-8 is read as Windows-1252, or Latin-1 when even that fails: never mojibake of a
    UTF-8 file, and a warning for the guess. A binary file (a picture, a PDF) is ``NotText``;
    a stray NUL in a text file is not (the cleaning names it, by row and column)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            raise NotText(f"the file starts as UTF-16 but byte {exc.start} is not") from exc
    sample = data[:8192]
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in TEXT_CONTROL_BYTES)
    if controls > BINARY_SHARE * len(sample):
        raise NotText("this is a binary file, not a CSV text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    # Windows-1252 first: its quotes and dashes sit where Latin-1 has invisible controls.
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1 (ISO-8859-1)"
