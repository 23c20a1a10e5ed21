"""Loading the seed content without overwriting curators' edits, and writing it back out."""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import transaction

from .cache import renew_catalogue_version
from .models import SeedRecord


@dataclass
class SeedReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)

    def __str__(self):
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.kept)} curator edits kept"
        )


def fixture_path(relative):
    return Path(settings.BASE_DIR) / relative


def row_digest(instance):
    values = {
        f.attname: f.value_to_string(instance)
        for f in instance._meta.concrete_fields
        if not f.primary_key
    }
    payload = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def record_key(instance):
    return json.dumps(list(instance.natural_key()), ensure_ascii=False)


@transaction.atomic
def seed_content(force=False):
    report = SeedReport()
    for relative, _models in settings.SEED_CONTENT:
        rows = json.loads(fixture_path(relative).read_text(encoding="utf-8"))
        for row in rows:
            try:
                (item,) = serializers.deserialize("python", [row])
            except serializers.base.DeserializationError:
                # It points at a row a curator deleted, and deletions are kept: so is this.
                report.kept.append(f"{row['model']} {row['fields']} (refers to a deleted row)")
                continue
            seed_row(item, force, report)
    renew_catalogue_version()
    return report


def seed_row(item, force, report):
    instance = item.object
    model = type(instance)
    label = model._meta.label_lower
    key = record_key(instance)
    record = SeedRecord.objects.filter(model=label, natural_key=key).first()
    wanted = row_digest(instance)
    current_row = model._base_manager.filter(pk=instance.pk).first() if instance.pk else None

    if current_row is None:
        if record is not None and not force:
            report.kept.append(f"{label} {key} (deleted by a curator)")
            return
        instance.pk = None
        item.save()
        record_history(instance, "+")
        report.created += 1
    else:
        current = row_digest(current_row)
        if current == wanted:
            report.unchanged += 1
        elif force or (record is not None and record.digest == current):
            item.save()
            record_history(instance, "~")
            report.updated += 1
        else:
            report.kept.append(f"{label} {key}")
            return
    SeedRecord.objects.update_or_create(model=label, natural_key=key, defaults={"digest": wanted})


def record_history(instance, history_type):
    """Fixtures load as raw saves, which keep no history: note the seeded version, so that a
    curator's first edit can be undone back to it."""
    history = getattr(type(instance), "history", None)
    if history is not None:
        history.bulk_history_create(
            [instance], default_change_reason="seed_content", update=history_type == "~"
        )


def export_content():
    """Write the current content to the fixture files; returns (path, row count) pairs."""
    written = []
    for relative, model_labels in settings.SEED_CONTENT:
        rows = []
        for model_label in model_labels:
            model = apps.get_model(model_label)
            rows.extend(model._default_manager.order_by(*model._meta.ordering, "pk"))
        text = serializers.serialize(
            "json",
            rows,
            indent=2,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
        fixture_path(relative).write_text(text + "\n", encoding="utf-8")
        for row in rows:
            SeedRecord.objects.update_or_create(
                model=row._meta.label_lower,
                natural_key=record_key(row),
                defaults={"digest": row_digest(row)},
            )
        written.append((relative, len(rows)))
    return written
