"""A lead's name is written as its script writes it, wherever Accord shows it."""

import pytest

from leads.names import display_name
from tests.factories import LeadFactory


@pytest.mark.parametrize(
    ("first", "middle", "last", "shown"),
    [
        ("伟", "", "王", "王伟"),  # Chinese: family name first, no space
        ("偉", "", "王", "王偉"),  # Traditional characters too
        ("太郎", "", "山田", "山田太郎"),  # Japanese kanji
        ("민수", "", "김", "김민수"),  # Korean Hangul
        ("Иван", "Петрович", "Сидоров", "Иван Петрович Сидоров"),  # Russian patronymic
        ("Анна", "", "Смирнова", "Анна Смирнова"),
        ("สมชาย", "", "ใจดี", "สมชาย ใจดี"),  # Thai: given name first
        ("محمد", "عبدالله", "العتيبي", "محمد عبدالله العتيبي"),  # Arabic
        ("Olivia", "", "Johnson", "Olivia Johnson"),
        ("John", "Quincy", "Adams", "John Quincy Adams"),
        ("Wei", "", "王", "Wei 王"),  # a Latin given name keeps the given name first
        ("伟", "", "", "伟"),
        ("", "", "王", "王"),
        (" Olivia ", " ", "", "Olivia"),
        ("", "", "", ""),
    ],
)
def test_the_display_name_follows_the_names_script(first, middle, last, shown):
    assert display_name(first, middle, last) == shown


@pytest.mark.django_db
def test_a_lead_is_named_by_its_display_name_and_found_by_its_patronymic():
    chinese = LeadFactory(first_name="伟", last_name="王")
    russian = LeadFactory(first_name="Иван", middle_name="Петрович", last_name="Сидоров")

    assert (chinese.full_name, str(chinese)) == ("王伟", "王伟")
    assert str(russian) == "Иван Петрович Сидоров"
    assert "петрович" in russian.search_text
