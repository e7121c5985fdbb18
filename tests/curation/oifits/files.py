"""The names of the shared OIFITS files (../shared/oifits/PROVENANCE.md says what each is)."""

SIMULATED = "IDL_Achernar_all_Pionier_oiDataCalib_2012-09-17--image_disco_amhra_UD2mas.fits"
ACHERNAR = "Achernar_all_Pionier_oiDataCalib_2012-09-17.fits"
HD45677 = "2018-12-02T062655_HD45677_A0B2J2C1_IR-LM_LOW_Chop_cal_oifits_0.fits"
