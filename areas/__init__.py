"""The pages, one package per role area: home (everyone), learn (learners), team (managers,
supervisors and coaches), design (program designers and HR admins) and sponsor (sponsors).

Each area has the same shape: `urls.py` (its routes, composed in talentdev/urls.py),
`views/<topic>.py` (thin views: parse input, call a service or selector, render) and
`forms.py` or `forms/<topic>.py`. Templates live in templates/<area>/. Areas sit above
every app: they combine apps, and no app imports them.

Views read alike on purpose: a form view builds its form, hands it to `save_form` with
its service, then redirects or renders; a one-click action goes through `run_command`.
The few that choose between services (create or update, one of several forms on a page)
say so where they do.
"""
