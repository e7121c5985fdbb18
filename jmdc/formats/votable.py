"""The catalogue (or a selection of it) as a VOTable 1.4, for TOPCAT, Aladin and friends."""

from collections.abc import Iterable, Iterator

from lib.votable import VOField, write_votable

from ..models import CATALOGUE_COLUMNS

# Units and UCDs per the II/345 ReadMe and the UCD1+ vocabulary.
VOTABLE_FIELDS = [
    VOField("ID1", "char", ucd="meta.id;meta.main", description="Normalised star name, HD preferred"),
    VOField("ID2", "char", ucd="meta.id", description="Star name used in the publication"),
    VOField("UD_DIAM", "double", "mas", "phys.angSize;src", "Uniform-disk angular diameter"),
    VOField("LD_DIAM", "double", "mas", "phys.angSize;src", "Limb-darkened angular diameter"),
    VOField("E_LD_DIAM", "double", "mas", "stat.error;phys.angSize", "Error on UD and LD diameters"),
    VOField("BAND", "char", ucd="instr.bandpass", description="Band letter or wavelength (microns unless A or nm)"),
    VOField("MU_LAMBDA", "double", ucd="phot.limbDark", description="Linear limb-darkening coefficient (< 1) or LD/UD ratio (>= 1) used by the authors"),
    VOField("METHOD", "short", ucd="meta.code.class", description="1 optical interferometry, 2 lunar occultation, 3 intensity interferometry", null=0),
    VOField("BANDCODE", "short", ucd="meta.code;instr.bandpass", description="1..12 for U B V R I J H K L M N Q", null=0),
    VOField("NOTES", "char", ucd="meta.note", description="Notes"),
    VOField("BIBCODE", "char", ucd="meta.bib.bibcode", description="ADS bibcode, or the year and dots for references not in ADS"),
    VOField("SINPE", "boolean", ucd="meta.code.qual", description="SIMBAD identifier is not precise enough"),
]  # fmt: skip
assert [f.name for f in VOTABLE_FIELDS] == [name for name, _ in CATALOGUE_COLUMNS]


def iter_votable(rows: Iterable[tuple], *, infos: dict[str, str] | None = None) -> Iterator[str]:
    """The rows (12 values each, in export order) as a VOTable; ``infos`` adds INFO elements
    (a release names its version)."""
    return write_votable(
        VOTABLE_FIELDS,
        rows,
        table_name="jmdc",
        description="JMMC Measured stellar Diameters Catalogue (JMDC), VizieR II/345",
        infos={
            "reference": "Duvert G. 2016, VizieR II/345; Chelli et al. 2016, A&A 589, A112",
            **(infos or {}),
        },
    )
