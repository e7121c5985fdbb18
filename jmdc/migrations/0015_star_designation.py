"""Stars get their canonical designation (lib.designations), and the stars of one designation
become one.

Before this, ``HD 10700`` and ``HD10700`` could be two stars (an accepted row beside the
catalogue's, SIMBAD unreachable). They are merged here, in the migration, rather than left to
a command or the sweep: the constraint that a designation names one star can only be added once
they are, and from then on ``Star.objects.for_names`` keeps it so. The merge is the one of
SIMBAD's merges (``jmdc.identification.merge_into``, run on this migration's models): each moved
measurement gets a history record saying where it went and why; the merged star's name
becomes an alias.

Which star stays: one a curator identified by hand, else one SIMBAD identified, else the
oldest. A star owning an alias of that designation (a SIMBAD merge kept ``HD10700`` as an alias
of ``tau Cet``) counts as a star of the designation.
"""

from django.db import migrations, models

from lib.designations import key

LENGTH = 100


def designation_of(name):
    found = key(name) or ""
    return found if len(found) <= LENGTH else ""


def fill_and_merge(apps, schema_editor):
    from jmdc.identification import merge_into

    Star = apps.get_model("jmdc", "Star")
    StarAlias = apps.get_model("jmdc", "StarAlias")
    shared: dict[str, int] = {}  # designation -> how many stars and aliases have it
    for model in (Star, StarAlias):
        changed = []
        for row in model.objects.only("pk", "name").iterator(chunk_size=2000):
            row.designation = designation_of(row.name)
            if row.designation:
                changed.append(row)
                shared[row.designation] = shared.get(row.designation, 0) + 1
        model.objects.bulk_update(changed, ["designation"], batch_size=500)
    for designation in sorted(d for d, count in shared.items() if count > 1):
        # Asked again for each: an earlier merge may have moved an alias to another star.
        ids = set(Star.objects.filter(designation=designation).values_list("pk", flat=True))
        ids |= set(
            StarAlias.objects.filter(designation=designation).values_list("star_id", flat=True)
        )
        if len(ids) < 2:
            continue
        stars = sorted(
            Star.objects.filter(pk__in=ids),
            key=lambda s: (s.identified_by_id is None, s.status != "resolved", s.pk),
        )
        keeper = stars[0]
        for star in stars[1:]:
            merge_into(star, keeper, reason=f"same designation ({designation}) as {star.name}")
    if schema_editor.connection.vendor == "postgresql":
        # The foreign keys' checks of the moved rows are deferred to the commit; PostgreSQL
        # refuses to index a table with checks pending (the constraint below). Checked now,
        # the whole upgrade stays one transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("jmdc", "0014_source_facts"),
    ]

    operations = [
        migrations.AddField(
            model_name="star",
            name="designation",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text="The name's catalogue designation written one way (HD 10700 for "
                "HD10700); empty when the name has none (Vega).",
                max_length=100,
                verbose_name="canonical designation",
            ),
        ),
        migrations.AddField(
            model_name="staralias",
            name="designation",
            field=models.CharField(
                blank=True, db_index=True, max_length=100, verbose_name="canonical designation"
            ),
        ),
        migrations.RunPython(fill_and_merge, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="star",
            constraint=models.UniqueConstraint(
                condition=models.Q(("designation", ""), _negated=True),
                fields=("designation",),
                name="one_star_per_designation",
            ),
        ),
    ]
