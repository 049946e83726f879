"""Templates stay readable: formatted by djlint (make lint), and no line over 120 characters."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

LONGEST = 120


def test_no_template_line_is_longer_than_120_characters():
    templates = Path(settings.BASE_DIR, "templates")
    too_long = [
        f"{path.relative_to(templates)}:{number}"
        for path in sorted(templates.rglob("*"))
        if path.suffix in (".html", ".txt")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if len(line) > LONGEST
    ]
    assert too_long == []


@pytest.mark.django_db
def test_every_page_links_the_favicon_and_it_is_served(client):
    page = client.get(reverse("login")).text

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    icon = finders.find("favicon.svg")
    assert icon is not None
    assert Path(icon).read_text().startswith("<svg ")
