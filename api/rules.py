"""Who may manage the API's clients: HR admins, who answer for what HR systems may read
and change."""

import rules

from talentdev.core.access import hr_admin

rules.add_perm("api.manage_clients", hr_admin)
