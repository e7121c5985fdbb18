"""What an astronomer reads of a fit: where the UD's error comes from when they gave only
E_LD_DIAM, which mu the limb-darkened disc used, and charts that stay legible on a phone."""

from types import SimpleNamespace

from curation.oifits.charts import vis2_chart
from curation.oifits.findings import disc_findings, fits_from_json

DISC = {"error": 0.009, "error_scaled": True, "points": 162, "wavelength_min": 1.59,
        "wavelength_max": 1.768}  # fmt: skip
FIT = {
    "files": ["night1.fits"], "targets": ["ACHERNAR"],
    "uniform": {**DISC, "model": "uniform disc", "diameter": 1.711, "reduced_chi2": 8.74,
                "mu": None, "mu_is_default": False},
    "limb_darkened": {**DISC, "model": "limb-darkened disc", "diameter": 1.745,
                      "reduced_chi2": 8.69, "mu": 0.25, "mu_is_default": False},
}  # fmt: skip


def test_a_ud_error_derived_from_e_ld_diam_says_so():
    ud, ld = disc_findings(fits_from_json(FIT), ud=1.7, ld=1.78, e_ld=0.03)
    assert ud.message.startswith("UD_DIAM 1.7 ± 0.0287 mas is consistent")
    assert ud.message.endswith(
        " (The UD's error, 0.0287 mas, is E_LD_DIAM 0.03 scaled by UD/LD: the catalogue keeps "
        "one error.)"
    )
    assert "scaled by UD/LD" not in ld.message


def test_without_an_ld_the_ud_error_is_not_explained_as_derived():
    (ud,) = disc_findings(fits_from_json(FIT), ud=1.7, ld=None, e_ld=0.03)
    assert "scaled by UD/LD" not in ud.message


def test_the_vis2_chart_takes_its_boxs_width_and_keeps_its_legends_within_it():
    stored = SimpleNamespace(
        name="Achernar_all_Pionier_oiDataCalib_2012-09-17.fits", fit=FIT,
        points={"frequency": [20.0, 60.0], "vis2": [0.9, 0.45], "error": [0.02, 0.03],
                "wavelength": [1.6, 1.7], "u": [10.0, 40.0], "v": [5.0, 80.0]},
    )  # fmt: skip
    spec = vis2_chart([stored])
    assert spec["width"] == "container"
    legends = [
        channel["legend"]["orient"]
        for layer in spec["layer"]
        for channel in layer["encoding"].values()
        if isinstance(channel, dict) and "legend" in channel
    ]
    assert legends and set(legends) <= {"bottom", "bottom-left"}


def test_the_row_page_says_the_limb_darkening_is_the_rows_mu_lambda(
    client, people, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from curation import services
    from tests.curation.oifits.files import ACHERNAR
    from tests.rows import row

    draft = services.create_submission(
        actor=people.astronomer,
        rows=[row(1, ID1="HD10144", UD_DIAM="1.7", LD_DIAM="1.78", MU_LAMBDA="0.25")],
        title="Achernar",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.attach_oifits(
            draft, 1, actor=people.astronomer,
            files=[SimpleUploadedFile("night1.fits", (oifits_dir / ACHERNAR).read_bytes())],
        )  # fmt: skip
    client.force_login(people.astronomer)
    page = client.get(reverse("curation:row_oifits", args=[draft.pk, 1])).content.decode()
    assert "linear limb darkening mu = 0.25, the row's MU_LAMBDA; reduced chi2" in page
    assert '<th scope="col">OIFITS version</th>' in page
    assert "1 Mλ = 4.85 cycles per arcsecond" in page
