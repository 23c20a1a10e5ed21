"""For migrations that add fields to seeded content: the seed records of rows no curator has
edited are carried over, so that `seed_content` still recognizes those rows as its own.

A seed record holds a digest of every field of the row as the seed wrote it. A new field changes
the digest of every row, which would make each one look edited by a curator: the seed would then
never update it again. `remember_unedited` runs first in a migration and notes the rows whose
digest still matches; `refresh_unedited` runs last and stores their digest with the new fields.
(The digest is tracks.seeding.row_digest, copied here as it was when these migrations were written.)
"""

import hashlib
import json

# Each seeded model's natural key, as the lookups of its fields (tracks.models.NaturalKeyManager).
NATURAL_KEYS = {
    "tracks.track": ["slug"],
    "tracks.skill": ["track__slug", "name"],
    "tracks.background": ["track__slug", "name"],
    "tracks.company": ["slug"],
    "tracks.companytrack": ["company__slug", "track__slug"],
    "tracks.conference": ["slug"],
    "tracks.conferencetrack": ["conference__slug", "track__slug"],
    "tracks.project": ["slug"],
    "tracks.projecttrack": ["project__slug", "track__slug"],
    "tracks.guidesection": ["slug"],
    "tracks.quickcheckquestion": ["slug"],
    "tracks.quickcheckoption": ["question__slug", "key"],
    "audits.question": ["slug"],
    "audits.option": ["question__slug", "key"],
    "audits.optionweight": ["option__question__slug", "option__key", "track__slug"],
}

_unedited = {}


def row_digest(instance):
    values = {
        f.attname: f.value_to_string(instance)
        for f in instance._meta.concrete_fields
        if not f.primary_key
    }
    payload = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def seeded_rows(apps, labels):
    """(seed record, its row or None) for every record of the models `labels`."""
    SeedRecord = apps.get_model("tracks", "SeedRecord")
    for record in SeedRecord.objects.filter(model__in=labels):
        model = apps.get_model(record.model)
        lookups = dict(zip(NATURAL_KEYS[record.model], json.loads(record.natural_key), strict=True))
        yield record, model._base_manager.filter(**lookups).first()


def remember_unedited(*labels):
    def run(apps, schema_editor):
        _unedited[labels] = [
            record.pk
            for record, row in seeded_rows(apps, labels)
            if row is not None and row_digest(row) == record.digest
        ]

    return run


def refresh_unedited(*labels):
    def run(apps, schema_editor):
        keep = set(_unedited.pop(labels, []))
        for record, row in seeded_rows(apps, labels):
            if record.pk in keep and row is not None:
                record.digest = row_digest(row)
                record.save(update_fields=["digest"])

    return run


def noop(apps, schema_editor):
    pass
