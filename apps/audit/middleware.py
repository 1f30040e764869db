from .context import ActorContext, _current, client_ip


class AuditContextMiddleware:
    """Makes the signed-in user and the client address available to the audit service."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token = _current.set(ActorContext(user=user, ip_address=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
