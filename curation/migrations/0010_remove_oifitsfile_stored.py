from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("curation", "0009_oifits_bytes_into_the_database")]

    # The files' names on disk go: their bytes are in `content` (0009). Not reversible once
    # there are two rows: the column was unique and its names are not made up again.
    operations = [migrations.RemoveField(model_name="oifitsfile", name="stored")]
