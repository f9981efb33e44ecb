"""Identity resolution: URL/email normalisation, stable ids, conservative merging."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.identity import (
    _normalize_url,
    _parsed_url,
    normalize_email,
    normalize_linkedin_url,
    person_id_for,
)
from graph.model import Person
from loaders.identity import IdentityResolver

SLUG_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-éüñçø"
slugs = st.text(alphabet=SLUG_ALPHABET, min_size=1, max_size=30)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.linkedin.com/in/ana", "https://www.linkedin.com/in/ana"),
        ("http://linkedin.com/in/Ana/", "https://www.linkedin.com/in/ana"),
        ("linkedin.com/in/ana?trk=abc#top", "https://www.linkedin.com/in/ana"),
        ("www.LinkedIn.com/in/ANA", "https://www.linkedin.com/in/ana"),
        ("https://uk.linkedin.com/in/ana", "https://www.linkedin.com/in/ana"),
        ("https://de.linkedin.com/in/ana/details/experience/", "https://www.linkedin.com/in/ana"),
        ("https://www.linkedin.com/in/ana-p%C3%A9rez", "https://www.linkedin.com/in/ana-pérez"),
        ("https://www.linkedin.com/in/ana-p%25C3%25A9rez", "https://www.linkedin.com/in/ana-pérez"),
        ("https://www.linkedin.com/in/%E6%9D%8E%E4%BC%9F", "https://www.linkedin.com/in/李伟"),
        ("  <https://www.linkedin.com/in/ana>  ", "https://www.linkedin.com/in/ana"),
        ("https://www.linkedin.com/mwlite/in/ana", "https://www.linkedin.com/in/ana"),
        ("", ""),
        ("ana", ""),
        ("https://example.com/in/ana", ""),
        ("https://linkedin.com.evil.example/in/ana", ""),
        ("https://evil-linkedin.com/in/ana", ""),
        ("https://www.linkedin.com/company/acme", ""),
        ("https://www.linkedin.com/in/", ""),
        ("https://www.linkedin.com/in/a%2Fb", ""),
        ("https://www.linkedin.com/in/a b", ""),
        ("http://[::1/in/x", ""),
        ("mailto:ana@example.com", ""),
    ],
)
def test_normalize_linkedin_url(raw: str, expected: str) -> None:
    assert normalize_linkedin_url(raw) == expected


@given(st.text(max_size=80))
def test_url_normalisation_is_idempotent_and_total(raw: str) -> None:
    once = normalize_linkedin_url(raw)
    assert normalize_linkedin_url(once) == once
    assert once == "" or once.startswith("https://www.linkedin.com/in/")


@given(
    slugs,
    st.sampled_from(["https://", "http://", "HTTPS://", ""]),
    st.sampled_from(["www.", "", "uk.", "WWW."]),
    st.sampled_from(["", "/", "/?trk=x", "#frag", "/?a=1&b=2#c"]),
    st.booleans(),
    st.booleans(),
)
def test_url_variants_map_to_one_value(
    slug: str, scheme: str, sub: str, tail: str, upper: bool, encode: bool
) -> None:
    canonical = normalize_linkedin_url(f"https://www.linkedin.com/in/{slug}")
    assert canonical == f"https://www.linkedin.com/in/{slug}"
    written = slug.upper() if upper else slug
    written = quote(written) if encode else written
    host = "LinkedIn.com" if upper else "linkedin.com"
    assert normalize_linkedin_url(f"{scheme}{sub}{host}/in/{written}{tail}") == canonical


def test_normalize_email() -> None:
    assert normalize_email("  Bo@Example.COM ") == "bo@example.com"
    assert normalize_email("mailto:bo@example.com") == "bo@example.com"
    assert normalize_email("urn:li:member:48213377") == ""
    assert normalize_email("bo at example") == ""
    assert normalize_email("bo@localhost") == ""
    assert normalize_email("") == ""


def test_person_ids_are_stable_and_ordered_by_evidence() -> None:
    url = "https://uk.linkedin.com/in/Ana/"
    assert person_id_for(url, "ana@x.example", "Ana", "Acme") == "li:ana"
    assert person_id_for("", "ANA@x.example", "Ana", "Acme") == "em:ana@x.example"
    nm = person_id_for("", "urn:li:member:1", "Ana Pérez", "Acme")
    assert nm.startswith("nm:")
    assert person_id_for("", "", "ana  perez", "ACME") == nm  # folded the same way
    assert person_id_for("", "", "Ana Pérez", "Beta") != nm


def _p(pid: str, name: str, company: str = "", *, url: str = "", email: str = "") -> Person:
    return Person(pid, name, company, url=url, email=email)


def test_resolver_matches_url_then_email_and_records_why() -> None:
    ana = _p("li:ana", "Ana Pérez", "Acme", url="https://www.linkedin.com/in/ana")
    r = IdentityResolver([ana])
    same_url = r.resolve(_p("nm:1", "A. Pérez", "", url="https://www.linkedin.com/in/ana"))
    assert same_url.id == "li:ana"
    by_email = _p("em:a@b.co", "Ana", email="a@b.co")
    first = r.resolve(by_email)
    assert first.id == "em:a@b.co"  # nobody had that address yet
    again = r.resolve(_p("nm:2", "Somebody", email="a@b.co"))
    assert again.id == "em:a@b.co"
    assert [(m.kept, m.merged) for m in r.merges] == [("li:ana", "nm:1"), ("em:a@b.co", "nm:2")]
    assert r.merges[0].reason == "same LinkedIn profile https://www.linkedin.com/in/ana"
    assert r.merges[1].reason == "same email a@b.co"


def test_resolver_merges_by_the_one_person_rule() -> None:
    """graph.model.merge_person: newer non-empty values win, empty ones keep the old."""
    old = Person("li:ana", "Ana Pérez", "Acme", "", "", "https://www.linkedin.com/in/ana")
    r = IdentityResolver([old])
    new = Person(
        "li:ana", "Ana P", "Beta", "CEO", "ana@acme.example", "https://www.linkedin.com/in/ana"
    )
    merged = r.resolve(new)
    assert (merged.name, merged.company, merged.position, merged.email) == (
        "Ana P",
        "Beta",
        "CEO",
        "ana@acme.example",
    )
    assert r.merges == []  # same id: nothing folded


def test_fuzzy_name_company_merge_with_score_in_reason() -> None:
    r = IdentityResolver([_p("li:ana", "Ana Pérez", "Acme", url="https://www.linkedin.com/in/ana")])
    got = r.resolve(_p("nm:x", "ana perez", "ACME, Inc."))
    assert got.id == "li:ana"
    assert r.merges[0].reason == "name+company match 'ana perez' @ 'ACME, Inc.' (score 100)"
    # A small typo in a long name still matches (token_sort_ratio >= 95).
    r2 = IdentityResolver([_p("nm:a", "Alexandra Konstantinopoulou", "Northwind Bank")])
    assert r2.resolve(_p("nm:b", "Alexandra Konstantinopolou", "Northwind Bank")).id == "nm:a"
    assert "score 9" in r2.merges[0].reason


@pytest.mark.parametrize(
    "incoming",
    [
        _p("nm:b", "Ana Pérez", ""),  # name alone never merges
        _p("nm:c", "Ana Pérez", "Globex"),  # different company
        _p("nm:d", "Ann Peters", "Acme"),  # different name
        _p("li:other", "Ana Pérez", "Acme", url="https://www.linkedin.com/in/other"),
        _p("em:z@z.example", "Ana Pérez", "Acme", email="z@z.example"),  # other address
    ],
)
def test_conservative_no_merge(incoming: Person) -> None:
    ana = _p(
        "li:ana", "Ana Pérez", "Acme", url="https://www.linkedin.com/in/ana", email="a@acme.example"
    )
    r = IdentityResolver([ana])
    assert r.resolve(incoming).id == incoming.id
    assert r.merges == []


def test_two_profile_urls_never_merge_even_with_the_same_email() -> None:
    r = IdentityResolver(
        [_p("li:a", "Ana", url="https://www.linkedin.com/in/a", email="x@y.example")]
    )
    got = r.resolve(_p("li:b", "Ana", url="https://www.linkedin.com/in/b", email="x@y.example"))
    assert got.id == "li:b"
    assert r.merges == []


def test_ambiguous_fuzzy_match_merges_nobody() -> None:
    r = IdentityResolver([_p("nm:1", "Ana Perez", "Acme Corp"), _p("nm:2", "Ana Pérez", "ACME")])
    assert r.resolve(_p("nm:3", "Ana Perez", "Acme Inc")).id == "nm:3"
    assert r.merges == []


def test_resolves_within_one_batch() -> None:
    r = IdentityResolver()
    first = r.resolve(_p("nm:1", "Bo Brandt", "Northwind"))
    second = r.resolve(
        _p("li:bo", "Bo Brandt", "Northwind Inc.", url="https://www.linkedin.com/in/bo")
    )
    assert second.id == first.id == "nm:1"
    assert second.url == "https://www.linkedin.com/in/bo"  # filled in
    # Once it has a URL, a record with another URL is someone else.
    third = r.resolve(_p("li:bo2", "Bo Brandt", "Northwind", url="https://www.linkedin.com/in/bo2"))
    assert third.id == "li:bo2"
    assert len(r.merges) == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "https://www.linkedin.com/in/josé-álvarez-7",
            "https://www.linkedin.com/in/josé-álvarez-7",
        ),
        ("https://www.linkedin.com/in/李伟/", "https://www.linkedin.com/in/李伟"),
        ("https://www.linkedin.com/in/José", "https://www.linkedin.com/in/josé"),
        ("https://www.linkedin.com/in/jose\u0301", "https://www.linkedin.com/in/josé"),
        ("https://www.linkedin.com/in/straße", "https://www.linkedin.com/in/strasse"),
        ("https://www.linkedin.com/in/a_b.c~d", "https://www.linkedin.com/in/a_b.c~d"),
        ("https://www.linkedin.com/in/ana!", ""),
        ("https://www.linkedin.com/in/---", "https://www.linkedin.com/in/---"),
    ],
)
def test_canonical_unicode_urls(raw: str, expected: str) -> None:
    """The shortcut for URLs already in canonical form (most of a big export's)."""
    assert normalize_linkedin_url(raw) == expected


@given(st.text(max_size=20))
def test_canonical_shortcut_agrees_with_the_full_path(slug: str) -> None:
    for url in (f"https://www.linkedin.com/in/{slug}", f"https://www.linkedin.com/in/{slug}/"):
        assert _normalize_url(url) == _parsed_url(url)
