"""Signed, expiring tokens for links in customers' messages (self-service booking, text-to-approve): the
token names what it opens and its site; a changed character fails the signature."""

from django.core import signing


class LinkInvalid(Exception):
    """The token was tampered with or is not one of ours."""


class LinkExpired(Exception):
    pass


def sign(data: dict, *, salt: str) -> str:
    return signing.dumps(data, salt=salt, compress=True)


def unsign(token: str, *, salt: str, max_age: int, read):
    """`read(data)` of a valid token; LinkExpired, or LinkInvalid for a bad signature or content `read`
    cannot take (KeyError, TypeError, ValueError)."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    try:
        return read(data)
    except (KeyError, TypeError, ValueError):
        raise LinkInvalid from None
