"""What every page may offer a visitor: the way back to the result kept in their browser."""

from django.utils.functional import SimpleLazyObject

from . import flows
from .models import Audit


def visitor_result(request):
    """`visitor_result`: a visitor's latest finished audit in this browser, or None. Read only
    by the pages that show it, and never for a member (My audits holds theirs)."""

    def latest():
        key = request.session.get(flows.VISITOR_KEY)
        if not key or request.user.is_authenticated:
            return None
        return (
            Audit.objects.filter(member=None, visitor_key=key, status=Audit.Status.FINISHED)
            .order_by("-finished_at")
            .only("id", "finished_at")
            .first()
        )

    return {"visitor_result": SimpleLazyObject(latest)}
