"""partials/form_fields.html: each field is one unit (label, control, error, help text) whatever
layout places it, and the control names its error and help text in aria-describedby."""

from html.parser import HTMLParser

from django import forms
from django.template.loader import render_to_string


class Rule(forms.Form):
    points = forms.IntegerField(label="Points", help_text="Below zero for a negative.")
    cap = forms.IntegerField(label="At most (times)", required=False)
    kinds = forms.MultipleChoiceField(
        label="Only after one of these activities",
        choices=[("demo", "Demo request"), ("webinar", "Webinar attended")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    gate = forms.BooleanField(label="It must hold", required=False, help_text="No points.")


class Units(HTMLParser):
    """The elements of each top-level field unit, as (tag, attributes) in document order."""

    def __init__(self):
        super().__init__()
        self.units, self.depth = [], 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.depth == 0 and "field" in attributes.get("class", "").split():
            self.units.append([])
        if self.units and (self.depth or "field" in attributes.get("class", "").split()):
            self.units[-1].append((tag, attributes))
            if tag not in ("input",):
                self.depth += 1

    def handle_endtag(self, tag):
        if self.depth and tag not in ("input",):
            self.depth -= 1


def units(form) -> dict[str, list]:
    parser = Units()
    parser.feed(render_to_string("partials/form_fields.html", {"form": form}))
    return {unit[0][1]["class"].split()[1].removeprefix("field-"): unit for unit in parser.units}


def test_each_field_is_one_element_holding_its_label_control_error_and_help():
    shown = units(Rule({"points": "many", "kinds": ["demo"]}))

    assert list(shown) == ["points", "cap", "kinds", "gate"]
    points = dict(shown["points"][1:])
    assert points["label"]["for"] == "id_points"
    assert points["input"]["aria-describedby"] == "id_points_helptext id_points_error"
    ids = {attributes.get("id") for _tag, attributes in shown["points"]}
    assert {"id_points", "id_points_error", "id_points_helptext"} <= ids
    assert dict(shown["cap"][1:])["label"]["for"] == "id_cap"


def test_choices_shown_as_boxes_are_a_fieldset_whose_legend_names_them():
    kinds = units(Rule())["kinds"]

    assert kinds[0][0] == "fieldset"
    assert [tag for tag, _attributes in kinds].count("legend") == 1
    assert all(attributes.get("for") for tag, attributes in kinds if tag == "label")


def test_a_checkbox_sits_inside_its_label_and_names_its_help():
    gate = units(Rule())["gate"]

    tags = [tag for tag, _attributes in gate]
    assert tags[:3] == ["div", "label", "input"]
    assert dict(gate[2:3])["input"]["aria-describedby"] == "id_gate_helptext"
    assert any(attributes.get("id") == "id_gate_helptext" for _tag, attributes in gate)
