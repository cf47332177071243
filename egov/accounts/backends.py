from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .validators import normalise_phone


class EmailOrPhoneBackend(ModelBackend):
    """Log in with a username, an e-mail address or a phone number, and a password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        login = username.strip()
        query = Q(username__iexact=login)
        if "@" in login:
            query |= Q(email__iexact=login)
        elif normalise_phone(login).lstrip("+").isdigit():
            query |= Q(phone=normalise_phone(login))
        candidates = list(User._default_manager.filter(query)[:2])
        if len(candidates) != 1:
            # Run the hasher anyway so timing does not tell whether the account exists.
            User().set_password(password)
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
