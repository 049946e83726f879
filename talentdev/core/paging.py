"""Paging a list without counting it, for pages and the selectors that build them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    """One page of a list read without counting the list: its rows, its number and whether
    more follow. For a list whose length matters less than its first rows."""

    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]


# Beyond this page a number is taken for a typing slip rather than asked for.
LAST_PAGE_READ = 10_000


def window_of(queryset, page, size: int) -> Window:
    """Page `page` (as typed in a link) of the queryset, `size` rows, with one more read to
    tell whether another page follows. Anything but the number of a page that has rows
    reads the first page."""
    number = int(page) if str(page or "").isdigit() and 0 < int(page) <= LAST_PAGE_READ else 1
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    if not rows and number > 1:
        return window_of(queryset, 1, size)
    return Window(object_list=rows[:size], number=number, has_next=len(rows) > size)
