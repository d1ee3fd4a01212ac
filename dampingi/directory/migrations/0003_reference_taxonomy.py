from django.db import migrations


def load(apps, schema_editor):
    from dampingi.directory.taxonomy_data import load_reference_taxonomy

    load_reference_taxonomy(apps)


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_hsds_supporting_objects")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
