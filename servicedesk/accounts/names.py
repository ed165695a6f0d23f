"""How staff are named on screens, papers and in messages: the profile's display name, else the login."""


def staff_name(user) -> str:
    if user is None:
        return ""
    return getattr(getattr(user, "profile", None), "display_name", "") or user.get_username()
