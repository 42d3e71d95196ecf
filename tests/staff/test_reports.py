"""Reports on a small fixture whose answers are worked out by hand below; each CSV equals its
table; the impact summary; the filters."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from trustee_match.extensions import db
from trustee_match.models import Match, MatchState, MatchTransition, Reply

from ..conftest import login
from ..factories import NeedFactory, StaffFactory, VolunteerFactory, give_skills

S = MatchState


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, tzinfo=UTC)


def _match(need, volunteer, source, rank, version, steps, **fields) -> Match:
    """A match with its history: `steps` is [(state, when)], the first one its creation."""
    match = Match(
        need=need,
        volunteer=volunteer,
        source=source,
        rank_position=rank,
        weights_version=version,
        state=steps[-1][0],
        created_at=steps[0][1],
        **fields,
    )
    db.session.add(match)
    previous = None
    for state, when in steps:
        db.session.add(
            MatchTransition(match=match, from_state=previous, to_state=state, created_at=when)
        )
        previous = state
    return match


@pytest.fixture
def world(app):
    """Four volunteers, three roles, four matches; times chosen so every figure is simple.

    V1 (Jan 5, complete), V2 (Jan 10, complete), V3 (Feb 1, no skills), V4 (Feb 3, complete,
    in Wales). N1 posted Jan 1, N2 Jan 15 (in London), N3 Feb 1 (no match).
    M1 V1-N1 ranker #1 default weights: sent Jan 3, volunteer yes Jan 4 (1 day), charity yes
       Jan 5 (2 days), introduced Jan 5 (4 days after N1), appointed Jan 11 (10 days).
    M2 V2-N1 ranker #2 default weights: rejected.
    M3 V2-N2 ranker #1 version 3: sent Jan 16, volunteer no Jan 19 (3 days): declined.
    M4 V4-N2 by staff: sent Feb 5, volunteer yes Feb 6, charity yes Feb 7: introduced Feb 7
       (23 days after N2).
    """
    v = []
    for month, day, skills, region in (
        (1, 5, True, "London"),
        (1, 10, True, "London"),
        (2, 1, False, "London"),
        (2, 3, True, "Wales"),
    ):
        volunteer = VolunteerFactory(created_at=at(month, day))
        volunteer.volunteer_profile.region = region
        db.session.commit()
        if skills:
            give_skills(volunteer.volunteer_profile, "cybersecurity")
        v.append(volunteer)
    n1 = NeedFactory(published_at=at(1, 1), hours_per_month=6)
    n2 = NeedFactory(published_at=at(1, 15), region="London")
    NeedFactory(published_at=at(2, 1))
    _match(
        n1, v[0], "ranker", 1, 0,
        [(S.PROPOSED, at(1, 2)), (S.APPROVED, at(1, 3)), (S.AWAITING_REPLIES, at(1, 3)),
         (S.INTRODUCED, at(1, 5)), (S.APPOINTED, at(1, 11))],
        volunteer_reply=Reply.ACCEPTED, volunteer_replied_at=at(1, 4),
        charity_reply=Reply.ACCEPTED, charity_replied_at=at(1, 5), introduced_at=at(1, 5),
    )  # fmt: skip
    _match(n1, v[1], "ranker", 2, 0, [(S.PROPOSED, at(1, 2)), (S.REJECTED, at(1, 3))])
    _match(
        n2, v[1], "ranker", 1, 3,
        [(S.PROPOSED, at(1, 16)), (S.APPROVED, at(1, 16)), (S.AWAITING_REPLIES, at(1, 16)),
         (S.DECLINED, at(1, 19))],
        volunteer_reply=Reply.DECLINED, volunteer_replied_at=at(1, 19),
    )  # fmt: skip
    _match(
        n2, v[3], "staff", None, None,
        [(S.PROPOSED, at(2, 5)), (S.APPROVED, at(2, 5)), (S.AWAITING_REPLIES, at(2, 5)),
         (S.INTRODUCED, at(2, 7))],
        volunteer_reply=Reply.ACCEPTED, volunteer_replied_at=at(2, 6),
        charity_reply=Reply.ACCEPTED, charity_replied_at=at(2, 7), introduced_at=at(2, 7),
    )  # fmt: skip
    db.session.commit()
    staff = StaffFactory()
    client = app.test_client()
    login(client, staff.email)
    return client


class _Tables(HTMLParser):
    """Each report table's rows, as the page shows them (cell text)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id", "").endswith("-table"):
            self._table = attrs["id"].removesuffix("-table")
            self.tables[self._table] = []
        elif self._table and tag == "tr":
            self.tables[self._table].append([])
        elif self._table and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_tables(client, query: str = "") -> dict[str, list[list[str]]]:
    response = client.get("/staff/reports" + query)
    assert response.status_code == 200
    parser = _Tables()
    parser.feed(response.get_data(as_text=True))
    return parser.tables


def csv_rows(client, name: str, query: str = "") -> list[list[str]]:
    response = client.get(f"/staff/reports/{name}.csv{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_the_funnel_counts_volunteers_at_each_step(world):
    tables = page_tables(world)
    assert tables["funnel"][1:] == [
        ["Signed up", "4", "100.0", "100.0"],
        ["Profile complete", "3", "75.0", "75.0"],
        ["Proposed", "3", "75.0", "100.0"],
        ["Approved", "3", "75.0", "100.0"],
        ["Introduced", "2", "50.0", "66.7"],
        ["Appointed", "1", "25.0", "50.0"],
    ]


def test_median_days_from_posting_to_introduction_and_appointment(world):
    rows = page_tables(world)["time_to_introduction"][1:]
    assert rows == [
        # N1 4 days and N2 23 days: median 13.5; only N1 appointed, after 10 days.
        ["2026-01", "13.5", "2", "2", "10.0", "1"],
        ["2026-02", "—", "1", "0", "—", "0"],
        ["All months", "13.5", "3", "2", "10.0", "1"],
    ]


def test_reply_rates_and_times_for_each_side(world):
    rows = page_tables(world)["replies"][1:]
    assert rows == [
        # Jan: M1 and M3 sent. Volunteers both replied (1 and 3 days), one accepted; the
        # charity replied to M1 only, after 2 days.
        ["2026-01", "100.0", "2", "50.0", "2.0", "50.0", "50.0", "2.0"],
        ["2026-02", "100.0", "1", "100.0", "1.0", "100.0", "100.0", "2.0"],
        ["All months", "100.0", "3", "66.7", "1.0", "66.7", "66.7", "2.0"],
    ]


def test_ranker_acceptance_by_place_month_and_version(world):
    tables = page_tables(world)
    assert tables["acceptance_by_rank"][1:] == [
        ["1", "100.0", "2", "2", "0"],
        ["2", "0.0", "1", "0", "1"],
    ]
    assert tables["acceptance_by_month"][1:] == [["2026-01", "66.7", "3", "2", "1"]]
    assert tables["acceptance_by_version"][1:] == [
        ["Default weights", "50.0", "2", "1", "1"],
        ["Version 3", "100.0", "1", "1", "0"],
    ]


def test_filters_by_region_and_month(world):
    wales = page_tables(world, "?region=Wales")["funnel"][1:]
    assert [row[1] for row in wales] == ["1", "1", "1", "1", "1", "0"]
    february = page_tables(world, "?since=2026-02")["funnel"][1:]
    assert [row[1] for row in february] == ["2", "1", "1", "1", "1", "0"]
    london = page_tables(world, "?region=London")["time_to_introduction"][1:]
    assert london == [
        ["2026-01", "23.0", "1", "1", "—", "0"],
        ["All months", "23.0", "1", "1", "—", "0"],
    ]


def test_every_csv_equals_its_table(world):
    for query in ("", "?region=London", "?since=2026-01&until=2026-01"):
        tables = page_tables(world, query)
        assert set(tables) == {
            "funnel",
            "time_to_introduction",
            "replies",
            "acceptance_by_rank",
            "acceptance_by_month",
            "acceptance_by_version",
        }
        for name, rows in tables.items():
            assert csv_rows(world, name, query) == rows, (name, query)


def test_each_report_has_an_accessible_chart_with_the_same_numbers(world):
    html = world.get("/staff/reports").get_data(as_text=True)
    assert html.count('<svg class="chart" role="img"') == 6
    assert '<title id="funnel-chart-title">From sign-up to appointment</title>' in html
    assert "Volunteers: Signed up, 4; Profile complete, 3;" in html


def test_bad_filters_are_explained(world):
    response = world.get("/staff/reports?since=March&until=2020-01&region=Mars")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a month as year and month, like 2026-03." in html
    assert world.get("/staff/reports/funnel.csv?since=March").status_code == 400
    assert world.get("/staff/reports/nonsense.csv").status_code == 404


def test_the_impact_summary_for_funders(world):
    html = world.get("/staff/reports/impact").get_data(as_text=True)
    assert '<span class="stat">1</span> trustees appointed' in html
    assert '<span class="stat">1</span> charities with a new digital trustee' in html
    assert '<span class="stat">6</span> volunteer hours pledged each month' in html
    assert '<span class="stat">2</span> introductions' in html
    assert '<span class="stat">4</span> volunteers signed up' in html
    later = world.get("/staff/reports/impact?since=2026-02").get_data(as_text=True)
    assert '<span class="stat">0</span> trustees appointed' in later
    assert "From 2026-02 to today" in later


def test_reports_with_no_data_say_so(app):
    staff = StaffFactory()
    client = app.test_client()
    login(client, staff.email)
    html = client.get("/staff/reports").get_data(as_text=True)
    assert "No figures yet." in html
