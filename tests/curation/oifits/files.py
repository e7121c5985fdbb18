"""The names of the shared OIFITS files (../shared/oifits/PROVENANCE.md says what each is)."""

SIMULATED = "IDL_Achernar_all_Pionier_oiDataCalib_2012-09-17--image_disco_amhra_UD2mas.fits"
ACHERNAR = "Achernar_all_Pionier_oiDataCalib_2012-09-17.fits"
HD45677 = "2018-12-02T062655_HD45677_A0B2J2C1_IR-LM_LOW_Chop_cal_oifits_0.fits"

# A submitted row of Achernar whose UD and LD are those of the simulated 2 mas file (invented).
ACHERNAR_ROW = {
    "ID1": "HD10144", "ID2": "Achernar", "UD_DIAM": "2.0", "LD_DIAM": "2.05",
    "E_LD_DIAM": "0.02", "BAND": "H", "BANDCODE": "7",
}  # fmt: skip
