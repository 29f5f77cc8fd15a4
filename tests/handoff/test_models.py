from handoff.models import Handoff


def test_top_reasons_are_the_three_lines_worth_most():
    handoff = Handoff(
        explanation={
            "lines": [
                {"rule": "a", "points": 5},
                {"rule": "b", "points": 20},
                {"rule": "c", "points": -10},
                {"rule": "d", "points": 10},
                {"rule": "e", "points": 7},
            ]
        }
    )

    assert [line["rule"] for line in handoff.top_reasons] == ["b", "d", "e"]
