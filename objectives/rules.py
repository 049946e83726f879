"""Who may see and change competency frameworks and a program's objectives."""

import rules
from django.db.models import Q

from talentdev.core.access import hr_admin, visibility, visible_through

from .models import LearningObjective, PerformanceObjective

# Frameworks, their scales and competencies name no one and tie no one to a program:
# every signed-in person may read them.
for label in (
    "objectives.competencyframework",
    "objectives.proficiencyscale",
    "objectives.competency",
):
    visibility(label)(lambda user: Q())

# A program's objectives are seen by whoever sees the program.
visibility("objectives.learningobjective")(visible_through(LearningObjective, "program"))
visibility("objectives.performanceobjective")(visible_through(PerformanceObjective, "program"))

# Frameworks are shared reference data: designers read them, HR admins change them.
rules.add_perm("objectives.change_framework", hr_admin)
