import numpy as np

from matching.index import MatchIndex
from matching.records import NeedRecord, VolunteerRecord
from matching.sections import sections, skills_section
from matching.text import TextRelevance, text_value

CV = """Priya Shah
priya@example.com

## Education
BSc Computer Science

## Skills
1. Networking: TCP/IP, LAN and WAN
2. VMware
3. Incident response

## Experience
Systems engineer (2019 - 2024)
"""


def test_skills_section_of_a_markdown_cv_stops_at_the_next_heading():
    section = skills_section(CV)
    assert "VMware" in section and "Incident response" in section
    assert "Systems engineer" not in section and "BSc" not in section


def test_plain_bold_and_labelled_headings_are_found():
    plain = "Education\nBA\n\nSkills\n- Budgeting\n- Safeguarding\n\nExperience\n- Treasurer"
    assert skills_section(plain) == "- Budgeting\n- Safeguarding"
    bold = "**Key skills**\nFundraising, governance\n\n**Experience**\nTrustee"
    assert skills_section(bold) == "Fundraising, governance"
    labelled = "About me\nI like boards.\n\nRequired skills and experience:\n- Audit\n"
    assert skills_section(labelled) == "- Audit"


def test_a_text_without_a_skills_heading_has_no_section():
    assert skills_section("I have strong skills in finance and governance.") == ""
    assert skills_section("") == ""
    # A short line inside a paragraph is not a heading: it needs a blank line before it.
    assert sections("Intro line\nSkills\n- Audit") == [("intro line", "Skills\n- Audit")]


def test_a_huge_section_is_cut_to_a_bounded_length():
    text = "## Skills\n" + "- python\n" * 200_000
    assert 0 < len(skills_section(text)) <= 5_000


def test_skills_feedback_is_the_weighted_cosine_with_the_best_rows_skills():
    docs = [
        CV,
        CV.replace("Priya Shah", "Sam Jones").replace("Systems engineer", "Network lead"),
        "## Skills\n- Bookkeeping\n- Payroll\n",
        "No headings here, just prose about networking and VMware.",
    ]
    text = TextRelevance(random_state=0)
    rows, _ = text.fit_transform(docs, ["networking engineer"])
    fb = text.skills_feedback(rows.skills, best=0)
    weight = text.skills_feedback_weight
    assert np.isclose(fb[0], weight, rtol=1e-4) and np.isclose(fb[1], weight, rtol=1e-4)
    assert 0 <= fb[2] < 0.3 * weight
    assert fb[3] == 0  # no skills section: nothing added
    assert not text.skills_feedback(rows.skills, best=3).any()  # best row lists no skills
    off = TextRelevance(skills_feedback_weight=0.0)
    off.fit_transform(docs, ["networking engineer"])
    assert not off.skills_feedback(rows.skills, best=0).any()


def test_a_candidate_listing_the_best_candidates_skills_moves_up():
    need = NeedRecord("n", text="Trustee with cyber security and incident response experience")
    skills = "\n\nSkills\n- Penetration testing\n- Threat modelling\n- SIEM tuning\n"
    best = VolunteerRecord("best", text="Cyber security and incident response lead." + skills)
    twin = VolunteerRecord("twin", text="Operations manager at a housing charity." + skills)
    rival = VolunteerRecord(
        "rival", text="Incident response volunteer.\n\nSkills\n- Catering\n- Event planning\n"
    )
    filler = [VolunteerRecord(f"f{i}", text=f"Volunteer {i} likes gardening") for i in range(30)]
    vols = [best, twin, rival, *filler]

    def order(weight: float) -> list[str]:
        index = MatchIndex(text_params={"skills_feedback_weight": weight}).fit(vols, [need])
        return [p.volunteer_id for p in index.top_volunteers("n", k=3)]

    assert order(0.0)[:2] == ["best", "rival"]
    assert order(32.0)[:2] == ["best", "twin"]


def test_text_value_is_strictly_increasing_even_for_very_strong_matches():
    z = np.array([-10, 0, 6, 20, 40, 60, 80, 120], dtype=np.float32)
    v = text_value(z)
    assert np.all(np.diff(v) > 0)
    assert v[0] > 0 and v[-1] < 1 and np.isclose(v[2], 0.5)
