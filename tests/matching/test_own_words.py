"""People's own words reach the taxonomy, and their places reach UK regions."""

import pytest

from matching.places import describe_place, region_key, resolve_region
from matching.vocabulary import SkillVocabulary

VOCAB = SkillVocabulary.default()


@pytest.mark.parametrize("words,slug", [
    ("vCISO", "cybersecurity"),
    ("SecOps", "security-operations"),
    ("DPIAs", "data-protection"),
    ("Caldicott Guardian", "data-protection"),
    ("ITT / tendering", "it-procurement"),
    ("fundraising CRM", "crm-fundraising-tech"),
    ("Salesforce admin", "crm-fundraising-tech"),
    ("Data protection and GDPR", "data-protection"),  # the product's own names
    ("Cloud and IT infrastructure", "cloud-infrastructure"),
    ("Hon. Treasurer", "treasurer"),
    ("charity finance", "finance-accounting"),
])
def test_a_listed_skill_in_own_words_finds_its_taxonomy_skill(words, slug):
    assert VOCAB.normalise(words) == slug


def test_a_listed_term_naming_two_skills_gives_both_and_an_unknown_one_keeps_its_words():
    assert VOCAB.normalise_many("Finance and HR") == {"finance-accounting", "hr-people"}
    assert VOCAB.normalise("Underwater basket weaving") == "other:underwater basket weaving"
    assert VOCAB.normalise("  ") is None


def test_free_text_finds_skills_by_phrase_acronym_and_name_but_not_everyday_words():
    found = VOCAB.find_mentions("I write DPIAs, run our SOC and look after Salesforce.")
    assert found == {"data-protection": "DPIAs", "security-operations": "SOC",
                     "crm-fundraising-tech": "Salesforce"}
    assert VOCAB.find_in_text("We help young people at risk to change their lives") == set()
    assert VOCAB.find_in_text("a beacon of hope, it is what it is") == set()
    assert VOCAB.find_in_text("ten years of risk management") == {"risk-management"}


def test_related_skills_only_name_skills_of_the_taxonomy():
    entries = [("a", "a", ()), ("b", "b", ())]
    vocab = SkillVocabulary(entries, related={"a": ("b", "zz"), "q": ("a",)})
    assert vocab.related == {"a": ("b",)}


@pytest.mark.parametrize("place,region", [
    ("Leeds", "Yorkshire and the Humber"),
    ("Harrogate, North Yorkshire", "Yorkshire and the Humber"),
    ("Hackney, London", "London"),
    ("SE London", "London"),
    ("Bangor", "Wales"),
    ("Bangor, County Down", "Northern Ireland"),
    ("Stoke-on-Trent", "West Midlands"),
    ("St. Albans", "East of England"),
    ("Notts", "East Midlands"),
    ("North West England", "North West"),
    ("Yorkshire & the Humber", "Yorkshire and the Humber"),
])
def test_towns_and_counties_resolve_to_their_region(place, region):
    assert resolve_region(place) == region


def test_places_without_a_region_are_unknown_or_compared_as_written():
    assert region_key("UK-wide") is None and region_key("Remote") is None
    assert region_key(None) is None and region_key("") is None
    assert region_key("  Atlantis ") == region_key("atlantis") == "atlantis"
    assert region_key("Leeds") == region_key("York")


def test_places_read_as_people_say_them():
    assert describe_place("North West") == "the North West"
    assert describe_place("Leeds") == "Leeds, in Yorkshire and the Humber"
    assert describe_place("Hackney, London") == "Hackney, London"
    assert describe_place("Atlantis") == "Atlantis"
