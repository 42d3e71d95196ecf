from matching.index import MatchIndex
from matching.records import NeedRecord, VolunteerRecord
from matching.text import TextRelevance, head_text


def test_head_text_is_first_line_or_sentence():
    assert head_text("technical director. Directs the stage.") == "technical director."
    assert head_text("## Job title\nAnalyst") == "## Job title"
    assert head_text("") == ""


def test_short_query_prefers_the_matching_head():
    filler = "They plan budgets, coordinate teams and report to the board every month."
    vols = [
        VolunteerRecord("head", text=f"stage manager. {filler} They run rehearsals."),
        VolunteerRecord("body", text=f"event planner. {filler} Worked as a stage manager."),
        *(VolunteerRecord(f"o{i}", text=f"role {i}. {filler}") for i in range(20)),
    ]
    index = MatchIndex().fit(vols, [NeedRecord("n", text="stage manager")])
    assert index.top_volunteers("n", k=1)[0].volunteer_id == "head"


def test_head_and_short_feedback_weights_follow_query_length():
    words = [f"word{i}" for i in range(30)]
    text = TextRelevance().fit([" ".join(words)], ["word1 word2"])
    short, long = text.counts(["word1 word2"]), text.counts([" ".join(words)])
    assert text.head_weight_for(short) == text.head_weight
    assert text.head_weight_for(long) < text.head_weight
    assert text.feedback_for(short) == text.short_feedback
    assert text.feedback_for(long) == (text.feedback_weight, text.feedback_decay)
