"""OIFITS files attached to a submission's row: checked against the standard (`validate`), their
squared visibilities fitted with a uniform and a limb-darkened disc (`fit`), the fit set against
the submitted diameter as a finding for the curator (`compare`). Pure modules over files: no
model, no page, no task; the submission, the worker and the review page call them."""
