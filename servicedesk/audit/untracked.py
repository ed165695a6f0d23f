"""Saving only fields a model's history excludes (a mileage reading, stock quantities): simple_history would
otherwise write a history row whose every change is hidden, a "changed" line on the audit screen saying nothing."""


def save_untracked(instance, update_fields: list[str]) -> None:
    instance.skip_history_when_saving = True
    try:
        instance.save(update_fields=update_fields)
    finally:
        del instance.skip_history_when_saving
