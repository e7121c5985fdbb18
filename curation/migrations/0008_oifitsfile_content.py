from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("curation", "0007_oifits_files")]

    operations = [
        migrations.AddField(
            model_name="oifitsfile",
            name="content",
            field=models.BinaryField(help_text="The file's bytes as uploaded.", null=True),
        ),
    ]
