"""The log as its member takes it away (the account's JSON download and a CSV file) and brings
it back (a CSV import that says, row by row, what it refused and why)."""

import csv
import io
from dataclasses import dataclass, field

from . import items
from .forms import EntryForm
from .models import Entry

COLUMNS = ["kind", "date", "title", "link", "note", "item"]
# Rows one import may hold; a bigger log is imported in several files.
IMPORT_MAX_ROWS = 2000


def entry_row(entry):
    return {
        "kind": entry.kind,
        "date": entry.day.isoformat(),
        "title": entry.title,
        "link": entry.link,
        "note": entry.note,
        "item": items.reference_of(entry),
    }


def member_log(member):
    """Every entry of the member, newest first, as plain values (the JSON download)."""
    return [entry_row(entry) for entry in Entry.objects.filter(member=member)]


def log_csv(member):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(member_log(member))
    return out.getvalue()


class UnreadableFile(ValueError):
    """The file as a whole cannot be read: nothing was imported."""


@dataclass
class ImportReport:
    added: int = 0
    refused: list = field(default_factory=list)  # (line, title, reasons)


def read_csv(raw):
    """The rows of an uploaded CSV (bytes), or UnreadableFile saying what is wrong with the file."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            "This file is not UTF-8 text. Save it as “CSV UTF-8” (or export it again from "
            "careerguide) and import it once more; nothing was imported."
        ) from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [name for name in ("kind", "date", "title") if name not in (reader.fieldnames or [])]
    if missing:
        raise UnreadableFile(
            f"The first line must name the columns {', '.join(COLUMNS)}; missing: "
            f"{', '.join(missing)}. Nothing was imported."
        )
    try:
        rows = list(reader)
    except csv.Error as error:
        raise UnreadableFile(
            f"This file is not readable CSV ({error}); nothing was imported."
        ) from error
    if len(rows) > IMPORT_MAX_ROWS:
        raise UnreadableFile(
            f"One import takes at most {IMPORT_MAX_ROWS} entries; this file has {len(rows)}. "
            "Split it and import each part; nothing was imported."
        )
    return rows


def import_rows(member, rows):
    """Add each valid row that is not in the log already; report the others with reasons."""
    catalogue = items.Catalogue()
    existing = set(
        Entry.objects.filter(member=member).values_list("kind", "day", "title", "link", "note")
    )
    report, new = ImportReport(), []
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        row = {name: (row.get(name) or "").strip() for name in COLUMNS}
        form = EntryForm(
            {**row, "day": row["date"]}, instance=Entry(member=member), catalogue=catalogue
        )
        if not form.is_valid():
            reasons = [
                f"{form.fields[name].label if name in form.fields else name}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            ]
            report.refused.append((line, row["title"] or "(no title)", reasons))
            continue
        entry = form.instance
        key = (entry.kind, entry.day, entry.title, entry.link, entry.note)
        if key in existing:
            report.refused.append((line, entry.title, ["Already in your log."]))
            continue
        existing.add(key)
        entry.imported = True
        new.append(entry)
    Entry.objects.bulk_create(new)
    report.added = len(new)
    return report
