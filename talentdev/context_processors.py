"""Template context every page needs: the roles behind the navigation."""

from django.utils.functional import SimpleLazyObject

from people.notifications import unread_count
from people.selectors import roles_of


def roles(request):
    # Lazy, so pages that never show navigation (health checks, partials) run no query.
    return {
        "roles": SimpleLazyObject(lambda: roles_of(request.user)),
        "unread": SimpleLazyObject(lambda: unread_count(request.user)),
    }
