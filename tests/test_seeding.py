"""seed_content is idempotent and keeps curators' edits; export_content writes them back."""

import json
import re
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits.models import Option
from tracks.models import Company, CompanyTrack, GuideSection, SeedRecord, Track
from tracks.seeding import ContentFixture, content_fixtures, export_content, seed_content

pytestmark = pytest.mark.usefixtures("db")


def seed(*args):
    out = StringIO()
    call_command("seed_content", *args, stdout=out)
    return out.getvalue()


def table_snapshot():
    return {
        "tracks": list(Track.objects.values_list("slug", "name", "owns", "colour")),
        "hiring": list(
            CompanyTrack.objects.values_list("company__slug", "track__slug", "qualifier")
        ),
        "options": list(Option.objects.values_list("question__slug", "key", "label")),
    }


def test_seeding_twice_changes_nothing_and_says_so():
    before = table_snapshot()
    output = seed()
    assert table_snapshot() == before
    assert "0 created, 0 updated" in output


def test_curator_edit_survives_a_reseed_and_force_restores_the_seed():
    Track.objects.filter(slug="voice").update(owns="Everything that speaks.")
    output = seed()
    assert Track.objects.get(slug="voice").owns == "Everything that speaks."
    assert "1 curator edits kept" in output
    seed("--force")
    assert Track.objects.get(slug="voice").owns != "Everything that speaks."


def test_row_deleted_by_a_curator_stays_deleted():
    Company.objects.filter(slug="palantir").delete()
    seed()
    assert not Company.objects.filter(slug="palantir").exists()


def test_seed_fills_an_empty_database(django_db_blocker):
    CompanyTrack.objects.all().delete()
    Company.objects.all().delete()
    SeedRecord.objects.filter(model__in=["tracks.company", "tracks.companytrack"]).delete()
    output = seed()
    assert Company.objects.filter(name="Anthropic").count() == 1
    assert "created" in output


def copied_fixtures(tmp_path):
    """The content fixtures, copied into `tmp_path`: free to change."""
    copies = []
    for fixture in content_fixtures():
        copy = tmp_path / fixture.path.parent.parent.name / fixture.path.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(fixture.path, copy)
        copies.append(ContentFixture(copy, fixture.models))
    return copies


def test_export_round_trips(tmp_path):
    # Export into a copy of the fixture files, edit, export again, and load the copy fresh.
    copies = copied_fixtures(tmp_path)
    export_content(copies)
    for original, copy in zip(content_fixtures(), copies, strict=True):
        exported = json.loads(copy.path.read_text())
        assert exported == json.loads(original.path.read_text()), f"{copy.path} changed"

    GuideSection.objects.filter(slug__startswith="mistake").update(title="Edited by a curator")
    export_content(copies)
    (guide,) = [copy.path for copy in copies if copy.path.name == "guide.json"]
    assert any(
        row["fields"].get("title") == "Edited by a curator" for row in json.loads(guide.read_text())
    )

    GuideSection.objects.all().delete()
    seed_content(force=True, fixtures=copies)
    assert GuideSection.objects.filter(title="Edited by a curator").exists()


def test_seeding_unchanged_content_reads_a_query_per_model(django_assert_max_num_queries):
    with django_assert_max_num_queries(50):
        output = seed()
    assert "0 created, 0 updated, 516 unchanged" in output


def writes(queries):
    """The tables written by `queries`, one entry a statement."""
    return [
        re.search(r'^(?:INSERT INTO|UPDATE) "(\w+)"', query["sql"]).group(1)
        for query in queries
        if query["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_one_changed_fixture_row_writes_that_row_alone(tmp_path):
    copies = copied_fixtures(tmp_path)
    with CaptureQueriesContext(connection) as unchanged:
        seed_content(fixtures=copies)
    (tracks,) = [copy.path for copy in copies if copy.path.name == "tracks.json"]
    rows = json.loads(tracks.read_text())
    (voice,) = [
        row for row in rows if row["model"] == "tracks.track" and row["fields"]["slug"] == "voice"
    ]
    voice["fields"]["owns"] = "Everything that speaks, as the new seed says."
    tracks.write_text(json.dumps(rows))
    before = table_snapshot()

    with CaptureQueriesContext(connection) as changed:
        report = seed_content(fixtures=copies)

    assert writes(unchanged) == []
    # The row, its history entry, its seed record and the catalogue's new version: the same
    # reads as before, and four writes (the version is read before it is written).
    assert writes(changed) == [
        "tracks_track",
        "tracks_historicaltrack",
        "tracks_seedrecord",
        "tracks_catalogueversion",
    ]
    assert (report.created, report.updated, report.kept) == (0, 1, [])
    assert Track.objects.get(slug="voice").owns == "Everything that speaks, as the new seed says."
    after = table_snapshot()
    assert [row[0] for row in after["tracks"] if row not in before["tracks"]] == ["voice"]
    assert after["hiring"] == before["hiring"] and after["options"] == before["options"]


def test_each_app_seeds_its_own_fixtures_with_natural_keys_only():
    for fixture in content_fixtures():
        rows = json.loads(fixture.path.read_text())
        assert rows, fixture.path
        assert all("pk" not in row for row in rows), fixture.path
        assert {row["model"].split(".")[0] for row in rows} == {fixture.path.parent.parent.name}
