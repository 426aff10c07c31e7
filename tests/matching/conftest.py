"""A small hand-made gazetteer of League cities, shared by the matching tests."""

from __future__ import annotations

import pytest

from verifier.core.matching import GazetteerEntry, Matcher

CITIES = [
    GazetteerEntry("sa-riyadh", "SA", "Riyadh", "الرياض"),
    GazetteerEntry("sa-jeddah", "SA", "Jeddah", "جدة"),
    GazetteerEntry("sa-mecca", "SA", "Mecca", "مكة المكرمة"),
    GazetteerEntry("sa-medina", "SA", "Medina", "المدينة المنورة"),
    GazetteerEntry("sa-dammam", "SA", "Dammam", "الدمام"),
    GazetteerEntry("ae-madinat-zayed", "AE", "Madinat Zayed", "مدينة زايد"),
    GazetteerEntry("ae-dubai", "AE", "Dubai", "دبي"),
    GazetteerEntry("eg-cairo", "EG", "Cairo", "القاهرة"),
    GazetteerEntry("eg-giza", "EG", "Giza", "الجيزة"),
    GazetteerEntry("eg-alexandria", "EG", "Alexandria", "الإسكندرية"),
    GazetteerEntry("eg-zagazig", "EG", "Zagazig", "الزقازيق"),
    GazetteerEntry("dz-algiers", "DZ", "Algiers", "الجزائر"),
    GazetteerEntry("dz-oran", "DZ", "Oran", "وهران"),
    GazetteerEntry("dz-djelfa", "DZ", "Djelfa", "الجلفة"),
    GazetteerEntry("dz-chlef", "DZ", "Chlef", "الشلف"),
    GazetteerEntry("dz-ouargla", "DZ", "Ouargla", "ورقلة"),
    GazetteerEntry("dz-skikda", "DZ", "Skikda", "سكيكدة"),
    GazetteerEntry("tn-gafsa", "TN", "Gafsa", "قفصة"),
    GazetteerEntry("tn-sfax", "TN", "Sfax", "صفاقس"),
    GazetteerEntry("ma-casablanca", "MA", "Casablanca", "الدار البيضاء"),
    GazetteerEntry("ma-oujda", "MA", "Oujda", "وجدة"),
    GazetteerEntry("ye-sanaa", "YE", "Sanaa", "صنعاء"),
    GazetteerEntry("iq-baghdad", "IQ", "Baghdad", "بغداد"),
    GazetteerEntry("iq-basra", "IQ", "Basra", "البصرة"),
    GazetteerEntry("iq-sulaymaniyah", "IQ", "Sulaymaniyah", "السليمانية"),
    GazetteerEntry("sy-damascus", "SY", "Damascus", "دمشق"),
    GazetteerEntry("sy-aleppo", "SY", "Aleppo", "حلب"),
    GazetteerEntry("sa-dhahran", "SA", "Dhahran", "الظهران"),
    GazetteerEntry("ps-jerusalem", "PS", "Jerusalem", "القدس"),
    GazetteerEntry("lb-tripoli", "LB", "Tripoli", "طرابلس"),
    GazetteerEntry("ly-tripoli", "LY", "Tripoli", "طرابلس"),
    GazetteerEntry("ly-benghazi", "LY", "Benghazi", "بنغازي"),
    GazetteerEntry("om-muscat", "OM", "Muscat", "مسقط"),
    GazetteerEntry("qa-doha", "QA", "Doha", "الدوحة"),
    GazetteerEntry("kw-kuwait", "KW", "Kuwait City", "مدينة الكويت"),
]


@pytest.fixture(scope="session")
def cities() -> list[GazetteerEntry]:
    return list(CITIES)


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return Matcher.from_entries(CITIES)
