"""Posting Django admin change forms from tests, as a curator's browser would."""


def change_form_data(page, **changes):
    """The POST data of an admin change form as rendered in `page`, with `changes` applied."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    for formset in page.context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        prefix = formset.formset.prefix
        for field in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{prefix}-{field}"] = management[field].value()
        for index, inline_form in enumerate(formset.formset.forms):
            for name, field in inline_form.fields.items():
                value = inline_form.initial.get(name, field.initial)
                if hasattr(value, "pk"):
                    value = value.pk
                if isinstance(value, bool):
                    if value:
                        data[f"{prefix}-{index}-{name}"] = "on"
                elif value is not None:
                    data[f"{prefix}-{index}-{name}"] = value
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data
