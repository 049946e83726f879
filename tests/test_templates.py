"""Templates stay readable: formatted by djlint (make lint), and no line over 120 characters."""

from pathlib import Path

from django.conf import settings

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
