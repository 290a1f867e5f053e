# The two fields that tie the product's records to the engine's runs. Apart from 0001
# because the engine's first migration needs the subject model (a project) to exist.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('pipeline', '0001_initial'),
        ('projects', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='output',
            name='run',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='pipeline.run'),
        ),
        migrations.AddField(
            model_name='reviewitem',
            name='run',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='review_items', to='pipeline.run'),
        ),
    ]
