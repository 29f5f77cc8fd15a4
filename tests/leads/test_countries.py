"""Countries are ISO codes, read from a code or a name in any of Accord's five languages and
shown in the reader's."""

import pytest
from django.utils import translation

from leads.countries import country_code, country_name, lead_countries


@pytest.mark.parametrize(
    "typed",
    [
        "TH",
        "th",
        "THA",
        "Thailand",
        " thailand ",
        "ไทย",
        "ประเทศไทย",
        "泰国",
        "泰國",
        "Таиланд",
        "تايلاند",
    ],
)
def test_thailand_in_any_of_the_five_languages_is_one_code(typed):
    assert country_code(typed) == "TH"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Россия", "RU"),
        ("Российская Федерация", "RU"),
        ("Russia", "RU"),
        ("俄罗斯", "RU"),
        ("รัสเซีย", "RU"),
        ("روسيا", "RU"),
        ("السعودية", "SA"),
        ("المملكة العربية السعودية", "SA"),
        ("Saudi Arabia", "SA"),
        ("沙特阿拉伯", "SA"),
        ("Саудовская Аравия", "SA"),
        ("中国", "CN"),
        ("China", "CN"),
        ("Китай", "CN"),
        ("الصين", "CN"),
        ("จีน", "CN"),
        ("الإمارات العربية المتحدة", "AE"),
        ("الامارات العربية المتحدة", "AE"),  # written without the hamza
        ("USA", "US"),
    ],
)
def test_country_names_of_the_five_languages_give_their_code(typed, code):
    assert country_code(typed) == code


@pytest.mark.parametrize("typed", ["", "   ", "Narnia", "ไทยแลนด์แดนสวรรค์", "XX"])
def test_text_that_names_no_country_has_no_code(typed):
    assert country_code(typed) is None


@pytest.mark.parametrize(
    ("language", "thailand", "saudi_arabia"),
    [
        ("en", "Thailand", "Saudi Arabia"),
        ("th", "ไทย", "ซาอุดีอาระเบีย"),
        ("zh-hans", "泰国", "沙特阿拉伯"),
        ("ru", "Таиланд", "Саудовская Аравия"),
        ("ar", "تايلاند", "المملكة العربية السعودية"),
    ],
)
def test_a_code_is_shown_in_the_readers_language(language, thailand, saudi_arabia):
    with translation.override(language):
        assert country_name("TH") == thailand
        assert country_name("SA") == saudi_arabia
        # The choices of the country filter and field, too.
        assert dict(lead_countries)["TH"] == thailand
