from django.apps import AppConfig


class TracksConfig(AppConfig):
    name = "tracks"
    verbose_name = "Catalogue"
    # The seed content (tracks.seeding): files in fixtures/, in load order, with their models.
    content_fixtures = [
        ("tracks.json", ["Track", "Skill", "Background"]),
        ("companies.json", ["Company", "CompanyTrack"]),
        ("conferences.json", ["Conference", "ConferenceTrack"]),
        ("projects.json", ["Project", "ProjectTrack"]),
        ("guide.json", ["GuideSection", "QuickCheckQuestion", "QuickCheckOption"]),
    ]

    def ready(self):
        from . import checks, signals  # noqa: F401  (checks registers the content check)
