"""Loading the seed content without overwriting curators' edits, and writing it back out.

Each app owns its seed content: its AppConfig lists `content_fixtures`, the files in its
fixtures/ folder in load order, each with the models it holds. Apps are read in INSTALLED_APPS
order, so an app's content may point at the content of the apps listed before it.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.db import models, transaction

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


@dataclass(frozen=True)
class ContentFixture:
    path: Path
    models: list[type[models.Model]]


def content_fixtures():
    """The seed content of every installed app that declares some, in load order."""
    return [
        ContentFixture(
            Path(config.path) / "fixtures" / name, [config.get_model(model) for model in names]
        )
        for config in apps.get_app_configs()
        for name, names in getattr(config, "content_fixtures", ())
    ]


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


class MissingRow(Exception):
    """A fixture row points at a row that is not in the database."""


class ContentIndex:
    """The content rows in the database by natural key, each model's read in one query. Rows
    hold the rows they point at, so that their natural keys cost no query either."""

    def __init__(self):
        self.by_key = {}
        self.by_pk = {}

    def rows(self, model):
        if model not in self.by_key:
            pointers = [f for f in model._meta.concrete_fields if f.many_to_one]
            for pointer in pointers:
                self.rows(pointer.related_model)
            self.by_key[model], self.by_pk[model] = {}, {}
            for row in model._base_manager.order_by():
                for pointer in pointers:
                    related_pk = getattr(row, pointer.attname)
                    if related_pk is not None:
                        setattr(row, pointer.name, self.by_pk[pointer.related_model][related_pk])
                self.add(row)
        return self.by_key[model]

    def add(self, row):
        self.by_key[type(row)][row.natural_key()] = row
        self.by_pk[type(row)][row.pk] = row

    def build(self, fixture_row):
        """An unsaved instance of a fixture row (natural keys throughout), as Django's python
        deserializer would build it, with the rows it points at found in the index."""
        model = apps.get_model(fixture_row["model"])
        instance = model()
        for name, value in fixture_row["fields"].items():
            model_field = model._meta.get_field(name)
            if model_field.many_to_many:
                raise ValueError(f"{model_field}: seed content keeps links in through models.")
            if model_field.many_to_one and value is not None:
                related = self.rows(model_field.related_model).get(tuple(value))
                if related is None:
                    raise MissingRow(name)
                setattr(instance, name, related)
            else:
                setattr(instance, model_field.attname, model_field.to_python(value))
        return instance


def seed_records():
    return {(r.model, r.natural_key): r for r in SeedRecord.objects.all()}


def save_seed_records(digests, records):
    """Store `digests` ({(model label, natural key): digest}), writing only what differs from
    `records`, the seed records as they are."""
    new, changed = [], []
    for (label, key), digest in digests.items():
        record = records.get((label, key))
        if record is None:
            new.append(SeedRecord(model=label, natural_key=key, digest=digest))
        elif record.digest != digest:
            record.digest = digest
            changed.append(record)
    SeedRecord.objects.bulk_create(new)
    SeedRecord.objects.bulk_update(changed, ["digest"])


@transaction.atomic
def seed_content(force=False, fixtures=None):
    """Load `fixtures` (by default every app's content fixtures). Rows equal to the database's
    are only compared, so an unchanged seed costs a query per model; each changed row is
    written on its own."""
    report = SeedReport()
    index, records, digests = ContentIndex(), seed_records(), {}
    for fixture in content_fixtures() if fixtures is None else fixtures:
        for row in json.loads(fixture.path.read_text(encoding="utf-8")):
            try:
                instance = index.build(row)
            except MissingRow:
                # It points at a row a curator deleted, and deletions are kept: so is this.
                report.kept.append(f"{row['model']} {row['fields']} (refers to a deleted row)")
                continue
            if seed_row(instance, index, records, force, report):
                digests[instance._meta.label_lower, record_key(instance)] = row_digest(instance)
    save_seed_records(digests, records)
    if report.created or report.updated:
        renew_catalogue_version()
    return report


def seed_row(instance, index, records, force, report):
    """Write one fixture row unless a curator has changed or deleted it since the seed last
    wrote it; returns whether the row now is as the seed has it."""
    label, key = instance._meta.label_lower, record_key(instance)
    record = records.get((label, key))
    current_row = index.rows(type(instance)).get(instance.natural_key())

    if current_row is None:
        if record is not None and not force:
            report.kept.append(f"{label} {key} (deleted by a curator)")
            return False
        save_raw(instance, "+")
        report.created += 1
    else:
        instance.pk = current_row.pk
        current = row_digest(current_row)
        if current == row_digest(instance):
            report.unchanged += 1
        elif force or (record is not None and record.digest == current):
            save_raw(instance, "~")
            report.updated += 1
        else:
            report.kept.append(f"{label} {key}")
            return False
    index.add(instance)
    return True


def save_raw(instance, history_type):
    """Save as fixtures load (raw: no signals' side effects), and note the seeded version in the
    history, which raw saves skip, so that a curator's first edit can be undone back to it."""
    models.Model.save_base(instance, raw=True)
    history = getattr(type(instance), "history", None)
    if history is not None:
        history.bulk_history_create(
            [instance], default_change_reason="seed_content", update=history_type == "~"
        )


def export_content(fixtures=None):
    """Write the current content to the fixture files; returns (path, row count) pairs."""
    written, digests = [], {}
    for fixture in content_fixtures() if fixtures is None else fixtures:
        rows = []
        for model in fixture.models:
            rows.extend(model._default_manager.order_by(*model._meta.ordering, "pk"))
        text = serializers.serialize(
            "json",
            rows,
            indent=2,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
        fixture.path.write_text(text + "\n", encoding="utf-8")
        for row in rows:
            digests[row._meta.label_lower, record_key(row)] = row_digest(row)
        written.append((fixture.path, len(rows)))
    save_seed_records(digests, seed_records())
    return written
