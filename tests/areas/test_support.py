"""The helpers every view uses."""

import csv
import io

import pytest
from django.urls import reverse

from areas.support import csv_chunks, url_for_each


@pytest.mark.parametrize("pk", [1, 7, 42, 123456789])
def test_a_route_reversed_once_links_every_row_as_reverse_does(pk):
    learner_url = url_for_each("team:learner")
    manage_url = url_for_each("design:enrolment", 42)
    assert learner_url(pk) == reverse("team:learner", args=[pk])
    assert manage_url(pk) == reverse("design:enrolment", args=[42, pk])


def test_a_long_csv_comes_in_pieces_that_read_back_as_its_rows():
    rows = [
        ["learner", "note"],
        *([f"person {n}", 'says "hi", twice\nthen leaves'] for n in range(500)),
    ]
    pieces = list(csv_chunks(iter(rows), size=1000))
    assert len(pieces) > 10  # not one piece a row, nor one for all of them
    assert all(isinstance(piece, bytes) for piece in pieces)
    assert list(csv.reader(io.StringIO(b"".join(pieces).decode()))) == rows


def test_an_empty_csv_is_one_empty_piece():
    assert list(csv_chunks(iter([]))) == [b""]
