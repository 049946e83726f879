"""Who may see the organisation's reference data."""

from django.db.models import Q

from talentdev.core.access import visibility

# The org tree and the job roles name no one: every signed-in person may read them, as the
# pages show them beside people's names. Who may see a person is programs.rules's to say.
visibility("people.orgunit")(lambda user: Q())
visibility("people.jobrole")(lambda user: Q())
