"""Who may read how the background jobs fare: HR admins, as they administer every program."""

import rules

from talentdev.core.access import hr_admin

rules.add_perm("jobs.view_status", hr_admin)
