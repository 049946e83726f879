"""Template context every page needs: the roles behind the navigation."""

from django.utils.functional import SimpleLazyObject

from people.selectors import roles_of


def roles(request):
    # Lazy, so pages that never show navigation (health checks, partials) run no query.
    return {"roles": SimpleLazyObject(lambda: roles_of(request.user))}
