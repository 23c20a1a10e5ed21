"""Posting Django admin change forms from tests, as a curator's browser would."""


def change_form_data(page, **changes):
    """The POST data of an admin change form as rendered in `page`, with `changes` applied
    (`False` leaves a field out, as an unticked box)."""
    data = form_data(page.context["adminform"].form)
    for formset in page.context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        prefix = formset.formset.prefix
        for field in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{prefix}-{field}"] = management[field].value()
        for index, inline_form in enumerate(formset.formset.forms):
            data.update(form_data(inline_form, prefix=f"{prefix}-{index}-"))
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def form_data(form, prefix=""):
    """What a browser posts for `form` as shown: ticked boxes as "on", related rows by id."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, bool):
            if value:
                data[prefix + name] = "on"
        elif value is not None:
            data[prefix + name] = value
    return data
