"""Does the agreement's narrative say what its settings do?

The narrative is free text that marketing and sales read first; the threshold, decay and rules
are what the engine runs. A narrative that says "at least 15 points" over a threshold of 12 was
signed and published once. These checks find the figures a narrative states — a number with a
points, days or percent word in any of Accord's languages — and name each one the settings do not
back, so the editor and the sign-off page can say so before anyone signs.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

POINTS = r"points?|pts?\b|คะแนน|分(?!钟)|балл(?:а|ов|ы)?|نقطة|نقاط|نقطه"
DAYS = r"days?|วัน|天|д(?:ень|ня|ней)|сут(?:ки|ок)|يوم|يومًا|يوما|أيام|ايام"
PERCENT = r"%|٪|percent|per cent|เปอร์เซ็นต์|процент(?:а|ов)?|بالمئة|في المئة"
# Words that make a number of points the bar to qualify: "at least 15", "15 or more",
# "threshold of 15", in each language.
BEFORE_THRESHOLD = (
    r"at least|threshold|minimum|reach(?:es|ing)?|≥|>=|"
    r"อย่างน้อย|ขั้นต่ำ|เกณฑ์|ถึง|"
    r"至少|不低于|不少于|达到|門檻|门槛|"
    r"не менее|не меньше|минимум|порог|(?<!\w)от|"
    r"على الأقل|لا يقل عن|(?<!\w)حد|عتبة"
)
AFTER_THRESHOLD = r"or more|or above|ขึ้นไป|以上|и более|и выше|أو أكثر|فأكثر"

# \d matches every script's digits (Arabic-Indic ١٥, Thai ๑๕), and int() reads them.
FIGURE = re.compile(
    rf"(?P<before>(?:{BEFORE_THRESHOLD})(?:\s*(?:of|is|to|:|=))?\s*)?(?<![\d.,])(?P<number>\d+)(?P<plus>\+)?\s*"
    rf"(?:(?P<points>{POINTS})|(?P<days>{DAYS})|(?P<percent>{PERCENT}))"
    rf"(?P<after>\s*(?:{AFTER_THRESHOLD}))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AgreementFigures:
    """The numbers an agreement runs on, as a narrative might state them."""

    threshold: int
    decay_after_days: int
    decay_percent_per_week: int
    rule_points: frozenset[int]
    rule_days: frozenset[int]


def narrative_mismatches(narrative: str, figures: AgreementFigures) -> list[str]:
    """One sentence per figure of the narrative that the settings contradict, in text order."""
    found = []
    for match in FIGURE.finditer(narrative or ""):
        number = int(match["number"])
        if match["points"]:
            if match["before"] or match["plus"] or match["after"]:
                if number != figures.threshold:
                    found.append(
                        _(
                            "The narrative says a lead qualifies at %(number)s points, "
                            "but the threshold is %(threshold)s."
                        )
                        % {"number": number, "threshold": figures.threshold}
                    )
            elif number != figures.threshold and number not in figures.rule_points:
                found.append(
                    _(
                        "The narrative mentions %(number)s points, but neither the threshold "
                        "(%(threshold)s) nor any rule uses %(number)s."
                    )
                    % {"number": number, "threshold": figures.threshold}
                )
        elif match["days"]:
            if number != figures.decay_after_days and number not in figures.rule_days:
                found.append(
                    _(
                        "The narrative mentions %(number)s days, but decay starts after "
                        "%(days)s days and no rule looks back %(number)s days."
                    )
                    % {"number": number, "days": figures.decay_after_days}
                )
        elif number != figures.decay_percent_per_week:
            found.append(
                _("The narrative mentions %(number)s%%, but scores decay by %(percent)s%% a week.")
                % {"number": number, "percent": figures.decay_percent_per_week}
            )
    return list(dict.fromkeys(found))


def figures_of(agreement) -> AgreementFigures:
    """The agreement's settings and its rules' points and look-back windows."""
    points = {abs(rule.points) for rule in agreement.profilerules.all()}
    points |= {abs(rule.points) for rule in agreement.negativerules.all()}
    days = set()
    for rule in agreement.actionrules.all():
        points.add(rule.points)
        if rule.cap:
            points.add(rule.points * rule.cap)
        if rule.window_days:
            days.add(rule.window_days)
    points |= {rule.min_score for rule in agreement.channelrules.all() if rule.min_score}
    return AgreementFigures(
        threshold=agreement.threshold,
        decay_after_days=agreement.decay_after_days,
        decay_percent_per_week=agreement.decay_percent_per_week,
        rule_points=frozenset(points),
        rule_days=frozenset(days),
    )


def agreement_mismatches(agreement) -> list[str]:
    return narrative_mismatches(agreement.narrative, figures_of(agreement))
