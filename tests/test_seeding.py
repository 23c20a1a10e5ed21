"""seed_content is idempotent and keeps curators' edits; export_content writes them back."""

import json
import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from audits.models import Option
from tracks.models import Company, CompanyTrack, GuideSection, Track

pytestmark = pytest.mark.usefixtures("content")


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
    from tracks.models import SeedRecord

    SeedRecord.objects.filter(model__in=["tracks.company", "tracks.companytrack"]).delete()
    output = seed()
    assert Company.objects.filter(name="Anthropic").count() == 1
    assert "created" in output


def test_export_round_trips(tmp_path, settings):
    # Export into a copy of the fixture files, edit, export again, and load the copy fresh.
    for relative, _models in settings.SEED_CONTENT:
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(settings.BASE_DIR / relative, target)
    settings.BASE_DIR = tmp_path
    call_command("export_content", stdout=StringIO())
    for relative, _models in settings.SEED_CONTENT:
        original = json.loads(
            (settings.BASE_DIR.__class__(__file__).parent.parent / relative).read_text()
        )
        exported = json.loads((tmp_path / relative).read_text())
        assert exported == original, f"{relative} changed on a plain export"

    GuideSection.objects.filter(slug__startswith="mistake").update(title="Edited by a curator")
    call_command("export_content", stdout=StringIO())
    guide = json.loads((tmp_path / "tracks/fixtures/guide.json").read_text())
    assert any(row["fields"].get("title") == "Edited by a curator" for row in guide)

    GuideSection.objects.all().delete()
    seed("--force")
    assert GuideSection.objects.filter(title="Edited by a curator").exists()


def test_fixture_files_use_natural_keys_only():
    for relative, _models in settings.SEED_CONTENT:
        rows = json.loads((settings.BASE_DIR / relative).read_text())
        assert rows, relative
        assert all("pk" not in row for row in rows), relative
