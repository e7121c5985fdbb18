"""Reading catalogues in: the catalogue files of 2016 on, the VizieR table, the spreadsheet history."""
